//! The crate under test: each case through `Presigner` (every entry point in turn, one
//! presigner per group of cases so its signing-key cache is exercised) and each generic
//! case through the lower-level `presign::sigv4` functions.

use presign::{
    ContentType, Credentials, Error, GetTtl, Method, ObjectRequest, PresignedRequest, Presigner,
    PutTtl, ResponseOverrides, Ttl, sigv4,
};

use crate::generator::{Case, GenericCase, Override, Payload};

/// The presigner a case (and the rest of its group) signs with.
pub(crate) fn build_presigner(case: &Case) -> Result<Presigner, Error> {
    let endpoint = case.endpoint.build(case.virtual_hosted)?;
    let mut credentials = Credentials::new(&case.access_key, &case.secret)?;
    if let Some(token) = &case.token {
        credentials = credentials.with_session_token(token)?;
    }
    if let Some(expiry) = case.cred_expiry {
        credentials = credentials.with_expiry(expiry);
    }
    Ok(Presigner::new(endpoint, credentials))
}

/// The case's URL from a presigner of its own.
pub(crate) fn presign_case(case: &Case) -> Result<String, Error> {
    presign_with(&build_presigner(case)?, case)
}

/// The case's URL from `presigner`, through the entry point the case's id picks.
pub(crate) fn presign_with(presigner: &Presigner, case: &Case) -> Result<String, Error> {
    let mut overrides = ResponseOverrides::new();
    for (o, value) in &case.overrides {
        overrides = match o {
            Override::CacheControl => overrides.cache_control(value),
            Override::ContentDisposition => overrides.content_disposition(value),
            Override::ContentEncoding => overrides.content_encoding(value),
            Override::ContentLanguage => overrides.content_language(value),
            Override::ContentType => overrides.content_type(value),
            Override::Expires => overrides.expires(value),
        };
    }
    let query: Vec<(&str, &str)> = case
        .query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let headers: Vec<(&str, &str)> = case
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let content_type = match &case.content_type {
        Some(ct) => Some(ContentType::new(ct)?),
        None => None,
    };
    let bucket = case.bucket.as_str();
    let key = case.key.as_str();
    let mut request = match (case.method, &content_type) {
        (Method::Get, _) => ObjectRequest::get(bucket, key, GetTtl::from_secs(case.ttl.into())?),
        (Method::Head, _) => ObjectRequest::head(bucket, key, GetTtl::from_secs(case.ttl.into())?),
        // A PUT bound through the general constructor now and then.
        (Method::Put, Some(ct)) if case.id % 8 == 5 => {
            ObjectRequest::new(Method::Put, bucket, key, Ttl::from_secs(case.ttl.into())?)
                .with_content_type(ct)
        }
        (Method::Put, Some(ct)) => {
            ObjectRequest::put(bucket, key, ct, PutTtl::from_secs(case.ttl.into())?)
        }
        (Method::Delete, _) => ObjectRequest::delete(bucket, key, Ttl::from_secs(case.ttl.into())?),
        (method, _) => ObjectRequest::new(method, bucket, key, Ttl::from_secs(case.ttl.into())?),
    };
    if !case.overrides.is_empty() {
        request = request.with_response_overrides(&overrides);
    }
    if !query.is_empty() {
        request = request.with_query(&query);
    }
    if !headers.is_empty() {
        request = request.with_headers(&headers);
    }
    let now = case.local_time();
    // Every entry point in turn: they must all give the peers' URL.
    match case.id % 4 {
        1 if query.is_empty() && headers.is_empty() => {
            let get = || GetTtl::from_secs(case.ttl.into());
            match (case.method, content_type) {
                (Method::Get, _) if case.overrides.is_empty() => {
                    presigner.get_object(bucket, key, get()?, now)
                }
                (Method::Get, _) => presigner.presign(
                    &ObjectRequest::get(bucket, key, get()?).with_response_overrides(&overrides),
                    now,
                ),
                (Method::Head, _) => presigner.head_object(bucket, key, get()?, now),
                (Method::Put, Some(ct)) => {
                    presigner.put_object(bucket, key, &ct, PutTtl::from_secs(case.ttl.into())?, now)
                }
                (Method::Delete, _) => {
                    presigner.delete_object(bucket, key, Ttl::from_secs(case.ttl.into())?, now)
                }
                _ => presigner.presign(&request, now),
            }
            .map(PresignedRequest::into_url)
        }
        2 => {
            let mut url = String::from("left over from an earlier call");
            presigner
                .presign_into(&request, now, &mut url)
                .map(|signed| signed.url().to_owned())
        }
        3 => {
            let mut buf = vec![0_u8; 64 * 1024];
            presigner
                .presign_to_slice(&request, now, &mut buf)
                .map(|signed| signed.url().to_owned())
        }
        _ => presigner
            .presign(&request, now)
            .map(PresignedRequest::into_url),
    }
}

/// The generic case's URL from `presign::sigv4::presign_query`.
pub(crate) fn generic_presign(case: &GenericCase) -> Result<String, Error> {
    let (headers, query, params) = generic_inputs(case);
    let request = sigv4::HttpRequest {
        method: case.method,
        path: &case.path,
        query: &query,
        headers: &headers,
    };
    let mut out = String::new();
    sigv4::presign_query(&request, &params, &mut out)?;
    Ok(format!("{}{}?{out}", case.endpoint, case.path))
}

/// Headers (with `host`), query parameters and signing parameters, borrowed from a case.
type GenericInputs<'a> = (
    Vec<(&'a str, &'a str)>,
    Vec<(&'a str, &'a str)>,
    sigv4::SigningParams<'a>,
);

/// The generic case's signing inputs, borrowed, for the `sigv4` module.
fn generic_inputs(case: &GenericCase) -> GenericInputs<'_> {
    let host = case.endpoint.split_once("://").expect("scheme").1;
    let mut headers: Vec<(&str, &str)> = case
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    headers.push(("host", host));
    let query: Vec<(&str, &str)> = case
        .query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let params = sigv4::SigningParams {
        access_key_id: &case.access_key,
        secret_access_key: &case.secret,
        session_token: case.token.as_ref().map(|(t, appended)| {
            if *appended {
                sigv4::SessionToken::AppendedAfterSigning(t)
            } else {
                sigv4::SessionToken::Signed(t)
            }
        }),
        region: &case.region,
        service: &case.service,
        time: case.time,
        expires_in_secs: case.ttl,
        rules: sigv4::Rules::Generic {
            normalize_path: case.normalize,
        },
        payload: match &case.payload {
            Payload::Unsigned => sigv4::PayloadHash::Unsigned,
            Payload::EmptyBody => sigv4::PayloadHash::EmptyBody,
            Payload::Sha256Hex(h) => sigv4::PayloadHash::Sha256Hex(h),
        },
    };
    (headers, query, params)
}

/// `sigv4::canonical_request` and `sigv4::string_to_sign` of a generic case.
pub(crate) fn generic_steps(case: &GenericCase) -> Result<(String, String), Error> {
    let (headers, query, params) = generic_inputs(case);
    let request = sigv4::HttpRequest {
        method: case.method,
        path: &case.path,
        query: &query,
        headers: &headers,
    };
    let (mut creq, mut sts) = (String::new(), String::new());
    sigv4::canonical_request(&request, &params, &mut creq)?;
    sigv4::string_to_sign(&request, &params, &mut sts)?;
    Ok((creq, sts))
}
