//! The small text grammars inside a Stack Exchange dump: HTML bodies turned into plain text, tag
//! lists (`<a><b>` or `|a|b|`) and dates (`2018-03-12T18:05:16.987`, UTC without a zone).

/// HTML elements that end a line of text: their tags become a line break.
const BLOCK_TAGS: [&str; 20] = [
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "pre",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "tr",
    "td",
    "th",
    "table",
    "dd",
];

/// Elements whose content is not text a reader sees.
const HIDDEN_TAGS: [&str; 2] = ["script", "style"];

/// Named HTML entities that occur in Stack Exchange text, beyond the five of XML.
const ENTITIES: [(&str, char); 24] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", ' '),
    ("ndash", '–'),
    ("mdash", '—'),
    ("hellip", '…'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("times", '×'),
    ("divide", '÷'),
    ("middot", '·'),
    ("bull", '•'),
    ("deg", '°'),
    ("plusmn", '±'),
    ("copy", '©'),
    ("reg", '®'),
    ("euro", '€'),
];

/// Plain text of an HTML fragment: tags removed (block tags become line breaks), entities
/// decoded, runs of blanks collapsed to one space and runs of line breaks to one; trimmed.
/// Never fails: a `<` that opens no tag and an unknown entity stay as written.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    let mut rest = html;
    let mut hidden: Option<&str> = None;
    while let Some(i) = rest.find(['<', '&']) {
        if hidden.is_none() {
            raw.push_str(&rest[..i]);
        }
        rest = &rest[i..];
        if rest.starts_with('&') {
            let (decoded, len) = entity(rest);
            if hidden.is_none() {
                match decoded {
                    Some(c) => raw.push(c),
                    None => raw.push('&'),
                }
            }
            rest = &rest[len..];
            continue;
        }
        if let Some(body) = rest.strip_prefix("<!--") {
            rest = body.find("-->").map_or("", |end| &body[end + 3..]);
            continue;
        }
        let Some((closing, name, end)) = tag(rest) else {
            if hidden.is_none() {
                raw.push('<');
            }
            rest = &rest[1..];
            continue;
        };
        rest = &rest[end..];
        match hidden {
            Some(h) if closing && name.eq_ignore_ascii_case(h) => hidden = None,
            Some(_) => {}
            None => {
                if let Some(h) = HIDDEN_TAGS
                    .iter()
                    .find(|h| !closing && name.eq_ignore_ascii_case(h))
                {
                    hidden = Some(h);
                } else if BLOCK_TAGS.iter().any(|b| name.eq_ignore_ascii_case(b)) {
                    raw.push('\n');
                }
            }
        }
    }
    if hidden.is_none() {
        raw.push_str(rest);
    }
    collapse_whitespace(&raw)
}

/// A tag at the start of `s` (which starts with `<`): whether it closes, its name and its
/// length; `None` if `<` opens no tag.
fn tag(s: &str) -> Option<(bool, &str, usize)> {
    let after = &s[1..];
    let (closing, after) = match after.strip_prefix('/') {
        Some(a) => (true, a),
        None => (false, after),
    };
    let name_len = after
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(after.len());
    if name_len == 0 || !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let end = s.find('>')?;
    Some((closing, &after[..name_len], end + 1))
}

/// Decodes the entity at the start of `s` (which starts with `&`): the character, if known, and
/// the number of bytes consumed (1 for an unknown entity, leaving the rest as text).
fn entity(s: &str) -> (Option<char>, usize) {
    // `;` is ASCII, so slicing at it stays on a character boundary.
    let Some(semi) = s.bytes().take(12).position(|b| b == b';') else {
        return (None, 1);
    };
    let name = &s[1..semi];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        code.and_then(char::from_u32)
    } else {
        ENTITIES.iter().find(|(n, _)| *n == name).map(|&(_, c)| c)
    };
    match c {
        Some(c) => (Some(c), semi + 1),
        None => (None, 1),
    }
}

/// Collapses whitespace: a run holding a line break becomes `\n`, any other run one space.
fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending: Option<char> = None;
    for c in s.chars() {
        if c.is_whitespace() {
            let brk = c == '\n' || pending == Some('\n');
            pending = Some(if brk { '\n' } else { ' ' });
        } else {
            if let Some(p) = pending.take() {
                if !out.is_empty() {
                    out.push(p);
                }
            }
            out.push(c);
        }
    }
    out
}

/// The tags of a `Tags` attribute: `<quantum-gate><qubit>` (older dumps) or `|quantum-gate|qubit|`
/// (newer ones).
pub(crate) fn parse_tags(s: &str) -> Vec<Box<str>> {
    let s = s.trim();
    let parts: Vec<&str> = if s.starts_with('<') {
        s.split(['<', '>']).collect()
    } else if s.starts_with('|') {
        s.split('|').collect()
    } else {
        s.split_whitespace().collect()
    };
    parts
        .into_iter()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(Box::from)
        .collect()
}

/// Seconds since the Unix epoch of a dump date `YYYY-MM-DDTHH:MM:SS[.fff][Z]` (UTC); `None` if
/// the text has another shape or an impossible field.
pub(crate) fn parse_date(s: &str) -> Option<i64> {
    let s = s.strip_suffix('Z').unwrap_or(s);
    let (main, fraction) = match s.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (s, None),
    };
    if let Some(f) = fraction {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let b = main.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = main.get(range)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > days_in_month || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(
            html_to_text("<p>What is a <em>qubit</em>?</p>\n\n<p>See &lt;this&gt; &amp; that&#39;s&nbsp;it.</p>"),
            "What is a qubit?\nSee <this> & that's it."
        );
        assert_eq!(html_to_text("a<br/>b<br />c"), "a\nb\nc");
        assert_eq!(
            html_to_text("<a href=\"https://x.org/?a=1&amp;b=2\">link</a> text"),
            "link text"
        );
        assert_eq!(
            html_to_text("<pre><code>x = 1\ny = 2\n</code></pre>"),
            "x = 1\ny = 2"
        );
        assert_eq!(
            html_to_text("<!-- hidden --><script>var a;</script>shown"),
            "shown"
        );
        assert_eq!(
            html_to_text("1 < 2 &unknown; &#x3B1; &#946;"),
            "1 < 2 &unknown; α β"
        );
        assert_eq!(html_to_text("broken <p"), "broken <p");
        assert_eq!(html_to_text("  "), "");
        assert_eq!(html_to_text("&"), "&");
        assert_eq!(html_to_text("&#xD800;"), "&#xD800;");
        assert_eq!(html_to_text("&amp;ééééé"), "&ééééé");
    }

    #[test]
    fn both_tag_notations() {
        let want: Vec<Box<str>> = vec!["quantum-gate".into(), "qubit".into()];
        assert_eq!(parse_tags("<quantum-gate><qubit>"), want);
        assert_eq!(parse_tags("|quantum-gate|qubit|"), want);
        assert!(parse_tags("").is_empty());
    }

    #[test]
    fn dump_dates() {
        assert_eq!(parse_date("1970-01-01T00:00:00"), Some(0));
        // 2018-03-12 is day 17,602 after the epoch
        assert_eq!(
            parse_date("2018-03-12T18:05:16.987"),
            Some(17_602 * 86_400 + 18 * 3600 + 5 * 60 + 16)
        );
        assert_eq!(parse_date("2020-02-29T00:00:00Z"), Some(1_582_934_400));
        assert_eq!(parse_date("1969-12-31T23:59:59.5"), Some(-1));
        for bad in [
            "2018-02-30T00:00:00",
            "2018-13-01T00:00:00",
            "2018-03-12 18:05:16",
            "2018-03-12",
            "2018-03-12T18:05:16.",
            "2018-03-12T24:00:00",
            "yesterday",
            "2018-+3-12T18:05:16",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Any text, however broken, yields text without panicking.
        #[test]
        fn never_panics(s in "(<[a-z/!-]{0,4}|&#?[a-zA-Z0-9]{0,9};?|[ \n\t]|.){0,40}") {
            let text = html_to_text(&s);
            assert!(!text.starts_with(char::is_whitespace), "{text:?}");
            let _ = parse_tags(&s);
            let _ = parse_date(&s);
        }
    }
}
