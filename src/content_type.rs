//! `ContentType`: the media type a PUT URL is bound to.

use core::fmt;

use crate::error::{Error, Field};
use crate::inline_str::InlineStr;
use crate::text::is_tchar;

/// The longest content type accepted, in bytes.
pub const MAX_CONTENT_TYPE_LEN: usize = 255;

/// A media type (`type/subtype` with optional `; name=value` parameters, RFC 9110 §8.3.1)
/// that is safe to send as a header value.
///
/// A presigned PUT is signed with `content-type` among its signed headers, so the uploader
/// must send **exactly** this value: S3 and R2 answer 403 to any other Content-Type, or to
/// none. Values are accepted as written (no case folding, no reformatting) because the
/// uploader sends the text, and the text is what is signed.
///
/// Refused: an empty value, surrounding whitespace, control characters (CR/LF would split
/// the request), tabs and non-ASCII bytes (servers canonicalise them differently), and
/// anything that is not `token "/" token *( OWS ";" OWS token "=" ( token / quoted-string ) )`.
///
/// ```
/// use presign::ContentType;
///
/// let mp4 = ContentType::new("video/mp4")?;
/// assert_eq!(mp4.as_str(), "video/mp4");
/// assert!(ContentType::new("text/plain; charset=utf-8").is_ok());
/// assert!(ContentType::new("video").is_err());
/// assert!(ContentType::new("video/mp4\r\nx-evil: 1").is_err());
/// assert!(ContentType::new(" video/mp4").is_err());
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ContentType {
    text: InlineStr<MAX_CONTENT_TYPE_LEN>,
    /// Whether the text has a run of two or more spaces, which the canonical header value
    /// collapses (found once here, so signing can copy the bytes as they are otherwise).
    has_space_run: bool,
}

impl ContentType {
    /// Checks `media_type` against the media type grammar.
    ///
    /// ```
    /// let parquet = presign::ContentType::new("application/vnd.apache.parquet")?;
    /// assert_eq!(parquet.as_str(), "application/vnd.apache.parquet");
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn new(media_type: &str) -> Result<Self, Error> {
        if media_type.len() > MAX_CONTENT_TYPE_LEN {
            return Err(Error::TooLong {
                field: Field::ContentType,
                len: media_type.len(),
                max: MAX_CONTENT_TYPE_LEN,
            });
        }
        parse(media_type.as_bytes()).map_err(|reason| Error::InvalidContentType { reason })?;
        Ok(Self {
            text: InlineStr::from_checked(media_type),
            has_space_run: media_type.contains("  "),
        })
    }

    /// The media type as given; the exact header value the uploader must send.
    ///
    /// ```
    /// assert_eq!(presign::ContentType::new("image/png")?.as_str(), "image/png");
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }

    /// Whether the value has a run of spaces, which its canonical form collapses
    /// (surrounding spaces are refused by [`ContentType::new`]); without one, the canonical
    /// form is the value's bytes as they are.
    pub(crate) fn has_space_run(&self) -> bool {
        self.has_space_run
    }

    /// The value's bytes (ASCII).
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// The length of the value, in bytes.
    pub(crate) fn len(&self) -> usize {
        self.text.as_bytes().len()
    }
}

impl fmt::Debug for ContentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ContentType").field(&self.as_str()).finish()
    }
}

impl fmt::Display for ContentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A tiny cursor over the bytes of a media type.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.at += usize::from(hit);
        hit
    }

    fn token(&mut self, what: &'static str) -> Result<(), &'static str> {
        let start = self.at;
        while self.peek().is_some_and(is_tchar) {
            self.at += 1;
        }
        if self.at == start { Err(what) } else { Ok(()) }
    }

    fn spaces(&mut self) {
        while self.eat(b' ') {}
    }

    fn quoted_string(&mut self) -> Result<(), &'static str> {
        // Opening quote already eaten.
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.at += 1;
                    match self.peek() {
                        Some(b' '..=b'~') => self.at += 1,
                        _ => return Err("has a bad escape in a quoted parameter value"),
                    }
                }
                Some(b' '..=b'~') => self.at += 1,
                _ => return Err("has an unterminated quoted parameter value"),
            }
        }
    }
}

fn parse(bytes: &[u8]) -> Result<(), &'static str> {
    if bytes.is_empty() {
        return Err("is empty; give a media type such as video/mp4");
    }
    if let Some(&b) = bytes.iter().find(|&&b| !(b' '..=b'~').contains(&b)) {
        return Err(if b == b'\r' || b == b'\n' {
            "contains CR or LF, which would split the HTTP request; remove them"
        } else if b.is_ascii() {
            "contains a control character or tab; only visible ASCII and spaces are allowed"
        } else {
            "contains non-ASCII bytes; only visible ASCII and spaces are allowed"
        });
    }
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return Err("has surrounding whitespace; trim it (the uploader must send the exact value)");
    }
    let mut cur = Cursor { bytes, at: 0 };
    cur.token("must start with a type token, as in video/mp4")?;
    if !cur.eat(b'/') {
        return Err("must be type/subtype, as in video/mp4");
    }
    cur.token("must have a subtype token after '/', as in video/mp4")?;
    loop {
        cur.spaces();
        if cur.peek().is_none() {
            return Ok(());
        }
        if !cur.eat(b';') {
            return Err("has text after the subtype that is not a ';' parameter");
        }
        cur.spaces();
        cur.token("has a parameter without a name after ';'")?;
        if !cur.eat(b'=') {
            return Err("has a parameter without '=value'");
        }
        if cur.eat(b'"') {
            cur.quoted_string()?;
        } else {
            cur.token("has a parameter without a value")?;
        }
    }
}
