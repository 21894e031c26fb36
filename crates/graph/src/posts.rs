//! Posts: what people publish, with the engagement each post received.

use serde::{Deserialize, Serialize};

use crate::ids::NodeId;

/// One post of an export.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    /// The export's id of the post.
    pub id: Box<str>,
    /// Who wrote it.
    pub author: NodeId,
    /// When, in seconds since the Unix epoch.
    pub time: Option<i64>,
    /// Title and body as plain text.
    pub text: Box<str>,
    /// Hashtags or tags, without the leading `#`.
    pub hashtags: Vec<Box<str>>,
    /// The id of the post this one answers, if any.
    pub reply_to: Option<Box<str>>,
    /// Times the post was shown.
    pub impressions: Option<u64>,
    /// Clicks on the post.
    pub clicks: Option<u64>,
    /// Likes (or score).
    pub likes: Option<u64>,
    /// Reposts.
    pub reposts: Option<u64>,
    /// Replies received.
    pub replies: Option<u64>,
}

/// All posts of an export, in input order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posts {
    posts: Vec<Post>,
}

impl Posts {
    /// Wraps a list of posts.
    pub fn new(posts: Vec<Post>) -> Self {
        Posts { posts }
    }

    /// Number of posts.
    pub fn len(&self) -> usize {
        self.posts.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
    }

    /// All posts.
    pub fn as_slice(&self) -> &[Post] {
        &self.posts
    }

    /// Posts grouped by author: for every person, the indices of their posts.
    pub fn by_author(&self, people: usize) -> Vec<Vec<u32>> {
        let mut out = vec![Vec::new(); people];
        for (i, p) in self.posts.iter().enumerate() {
            if let Some(slot) = out.get_mut(p.author.index()) {
                slot.push(i as u32);
            }
        }
        out
    }
}
