//! The canonical request (SigV4 step 1) and its SHA-256.
//!
//! ```text
//! method \n canonical URI \n canonical query \n canonical headers \n signed headers \n payload hash
//! ```
//!
//! A presigned URL already holds the canonical URI and query: they are written once, as the
//! URL's path and query ([`crate::query`]), so what is signed is what is sent. The hash is
//! taken where the URL was written. When the output has room, the whole canonical request
//! is laid out in it for a moment and hashed as one slice (no copies): the tail goes after
//! the query, the `?` becomes the canonical `\n`, and the end of the host just before the
//! path holds the method line. All three are put back before the signature is appended.
//! Otherwise (a caller's slice with no room to spare) the pieces are streamed to SHA-256.

use sha2::{Digest, Sha256};

use crate::buffer::UrlOut;
use crate::encode::Sink;
use crate::headers::Headers;
use crate::sha;

/// The payload hash of every S3 presigned URL: the body is not known when the URL is made.
pub(crate) const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The longest method line (`DELETE\n`).
const METHOD_LINE_MAX: usize = 8;

/// Writes the canonical request after its URI and query lines: `\n`, the canonical
/// headers, the signed header list and the payload hash.
pub(crate) fn write_tail(headers: &Headers<'_>, payload_hash: &str, out: &mut impl Sink) {
    out.put("\n");
    headers.write_canonical(out);
    out.put("\n");
    headers.write_signed(false, out);
    out.put("\n");
    out.put(payload_hash);
}

/// Where the path and the query sit in a written URL.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UrlMarks {
    /// The first byte of the path.
    pub(crate) path_start: usize,
    /// The `?` after the path.
    pub(crate) path_end: usize,
    /// The end of the query (the signature is appended here).
    pub(crate) query_end: usize,
}

/// SHA-256 of the canonical request of a URL written into `out` up to the end of its query
/// (`marks`), for `method_line` (`GET\n`, …) and an unsigned payload. `out` holds the same
/// bytes afterwards.
pub(crate) fn hash_in_place(
    method_line: &[u8],
    headers: &Headers<'_>,
    marks: UrlMarks,
    out: &mut impl UrlOut,
) -> [u8; 32] {
    debug_assert_eq!(
        out.written().len(),
        marks.query_end,
        "marks describe the URL"
    );
    debug_assert_eq!(out.written().get(marks.path_end), Some(&b'?'));
    let tail_bound = headers.tail_len_bound() + 3 + UNSIGNED_PAYLOAD.len();
    // The method line goes over the end of the scheme and host, at least `http://` and one
    // byte, longer than any method line.
    match marks.path_start.checked_sub(method_line.len()) {
        Some(lead_at) if out.has_room(tail_bound) => {
            debug_assert!(method_line.len() <= METHOD_LINE_MAX);
            let mut saved = [0u8; METHOD_LINE_MAX];
            let saved = &mut saved[..method_line.len()];
            saved.copy_from_slice(&out.written()[lead_at..marks.path_start]);
            write_tail(headers, UNSIGNED_PAYLOAD, out);
            out.replace_bytes(lead_at, method_line);
            out.replace_bytes(marks.path_end, b"\n");
            let hash = sha::digest(&out.written()[lead_at..]);
            out.replace_bytes(lead_at, saved);
            out.replace_bytes(marks.path_end, b"?");
            out.truncate(marks.query_end);
            hash
        }
        _ => hash_streamed(method_line, headers, marks, out.written()),
    }
}

/// The same hash, with the pieces streamed to SHA-256 from `url` (written up to the end of
/// its query).
fn hash_streamed(
    method_line: &[u8],
    headers: &Headers<'_>,
    marks: UrlMarks,
    url: &[u8],
) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.put_bytes(method_line);
    hasher.update(&url[marks.path_start..marks.path_end]);
    hasher.put("\n");
    hasher.update(&url[marks.path_end + 1..marks.query_end]);
    write_tail(headers, UNSIGNED_PAYLOAD, &mut hasher);
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::{SliceOut, VecOut};
    use crate::headers::Host;
    use alloc::vec::Vec;

    const URL: &[u8] = b"http://a/b/my%20key?X-Amz-Date=1&q=2";

    fn marks() -> UrlMarks {
        UrlMarks {
            path_start: 8,
            path_end: 19,
            query_end: URL.len(),
        }
    }

    fn headers() -> Headers<'static> {
        Headers::Own {
            content_type: None,
            host: Host {
                bucket: None,
                endpoint: b"a",
            },
        }
    }

    /// The canonical request spelled out by hand, as the SigV4 documentation lays it out.
    fn expected(method: &str) -> [u8; 32] {
        let text = alloc::format!(
            "{method}\n/b/my%20key\nX-Amz-Date=1&q=2\nhost:a\n\nhost\nUNSIGNED-PAYLOAD"
        );
        Sha256::digest(text.as_bytes()).into()
    }

    /// In a growable buffer (room for the tail) the hash is taken in place, for the longest
    /// method line on the shortest host, and the URL is put back byte for byte.
    #[test]
    fn in_place_hash_restores_the_url() {
        for (method, line) in [("GET", &b"GET\n"[..]), ("DELETE", b"DELETE\n")] {
            let mut bytes = URL.to_vec();
            let hash = hash_in_place(line, &headers(), marks(), &mut VecOut { bytes: &mut bytes });
            assert_eq!(hash, expected(method), "{method}");
            assert_eq!(bytes, URL, "{method}");
        }
    }

    /// A slice with no room for the tail streams the pieces instead, and gives the same hash.
    #[test]
    fn exact_slice_streams_the_same_hash() {
        let mut buf: Vec<u8> = URL.to_vec();
        let mut out = SliceOut::new(&mut buf);
        out.put_bytes(URL);
        assert!(!out.has_room(1));
        let hash = hash_in_place(b"DELETE\n", &headers(), marks(), &mut out);
        assert_eq!(hash, expected("DELETE"));
        assert_eq!(out.finish().expect("fits").as_bytes(), URL);
    }
}
