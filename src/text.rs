//! The one check every text input goes through: not empty, not too long, and only the bytes
//! its grammar allows, with an error that names the field and the first offending byte.

use crate::error::{Error, Field};

/// Which bytes a field may hold, and how an error describes them.
#[derive(Clone, Copy)]
pub(crate) struct Grammar {
    allows: fn(u8) -> bool,
    /// What the field accepts, as an error message writes it.
    pub(crate) description: &'static str,
}

/// RFC 9110 `token` characters: header names and methods.
pub(crate) const TOKEN: Grammar = Grammar {
    allows: is_tchar,
    description: "RFC 9110 token characters (letters, digits, !#$%&'*+-.^_`|~)",
};

/// Visible ASCII without spaces: secrets and session tokens.
pub(crate) const VISIBLE_ASCII: Grammar = Grammar {
    allows: |b| b.is_ascii_graphic(),
    description: "visible ASCII, no spaces",
};

/// Visible ASCII without spaces or `/`, which separates the fields of the credential scope.
pub(crate) const ACCESS_KEY_ID: Grammar = Grammar {
    allows: |b| b.is_ascii_graphic() && b != b'/',
    description: "visible ASCII except '/', no spaces",
};

/// A header value: visible ASCII and spaces. CR/LF would split the request, and tabs or
/// non-ASCII bytes are canonicalised differently by different servers.
pub(crate) const HEADER_VALUE: Grammar = Grammar {
    allows: |b| matches!(b, b' '..=b'~'),
    description: "visible ASCII and spaces",
};

/// A region or service name in the credential scope: a `/` or space would break the scope.
pub(crate) const SCOPE_PART: Grammar = Grammar {
    allows: |b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-',
    description: "lower-case letters, digits and '-'",
};

/// RFC 9110 `token` characters, the grammar of a header name.
pub(crate) const fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

/// Checks that `text` is 1 ..= `max` bytes of `grammar`.
pub(crate) fn check(field: Field, text: &str, max: usize, grammar: Grammar) -> Result<(), Error> {
    if text.is_empty() {
        return Err(Error::Empty { field });
    }
    if text.len() > max {
        return Err(Error::TooLong {
            field,
            len: text.len(),
            max,
        });
    }
    check_bytes(field, text, grammar)
}

/// Checks that every byte of `text` is in `grammar` (empty text passes).
pub(crate) fn check_bytes(field: Field, text: &str, grammar: Grammar) -> Result<(), Error> {
    match text.bytes().position(|b| !(grammar.allows)(b)) {
        None => Ok(()),
        Some(index) => Err(Error::InvalidCharacter {
            field,
            // A secret's bytes are never repeated, not even one.
            byte: (!field.is_secret()).then(|| text.as_bytes()[index]),
            index,
            allowed: grammar.description,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_bad_byte_is_named_with_its_offset() {
        assert_eq!(
            check(Field::Region, "eu-West-1", 64, SCOPE_PART),
            Err(Error::InvalidCharacter {
                field: Field::Region,
                byte: Some(b'W'),
                index: 3,
                allowed: SCOPE_PART.description,
            })
        );
    }

    #[test]
    fn secret_bytes_are_withheld() {
        assert_eq!(
            check(Field::SecretAccessKey, "abc def", 128, VISIBLE_ASCII),
            Err(Error::InvalidCharacter {
                field: Field::SecretAccessKey,
                byte: None,
                index: 3,
                allowed: VISIBLE_ASCII.description,
            })
        );
    }

    #[test]
    fn empty_and_long_come_before_bytes() {
        assert_eq!(
            check(Field::Method, "", 8, TOKEN),
            Err(Error::Empty {
                field: Field::Method
            })
        );
        assert_eq!(
            check(Field::Service, "s 3", 2, SCOPE_PART),
            Err(Error::TooLong {
                field: Field::Service,
                len: 3,
                max: 2
            })
        );
    }

    /// The token set is exactly RFC 9110's `tchar`.
    #[test]
    fn token_characters_are_rfc_9110() {
        let specials = b"!#$%&'*+-.^_`|~";
        for b in 0..=255u8 {
            let expected = b.is_ascii_alphanumeric() || specials.contains(&b);
            assert_eq!(is_tchar(b), expected, "byte {b:#04x}");
        }
    }
}
