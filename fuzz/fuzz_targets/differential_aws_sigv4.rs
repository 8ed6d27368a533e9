//! Differential: every S3 URL `presign` mints must carry the signature the AWS SDK's own
//! signer (`aws-sigv4`, query-string mode, single encoding, no path normalisation,
//! `UNSIGNED-PAYLOAD`) computes for the same request, and the same auth parameters.

#![no_main]

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use arbitrary::Arbitrary;
use aws_sigv4::http_request::{
    PercentEncodingMode, SessionTokenMode, SignableBody, SignableRequest, SignatureLocation,
    SigningSettings, UriPathNormalizationMode, sign,
};
use aws_sigv4::sign::v4;
use libfuzzer_sys::fuzz_target;
use presign::{
    AddressingStyle, ContentType, Credentials, Endpoint, Method, ObjectRequest, Presigner,
    ResponseOverrides, Ttl,
};
use presign_fuzz::{Choice, model_encode, query_value, split_url};
use time::OffsetDateTime;

#[derive(Arbitrary, Debug)]
struct Input {
    endpoint: u8,
    bucket: Choice,
    key: String,
    key_bytes: Option<Vec<u8>>,
    method: u8,
    content_type: Option<Choice>,
    ttl: u32,
    time_raw: u32,
    token: Option<Choice>,
    access_key: Choice,
    secret: Choice,
    query: Vec<(String, String)>,
    headers: Vec<(Choice, String)>,
    disposition: Option<String>,
}

fuzz_target!(|input: Input| {
    let endpoint = match input.endpoint % 5 {
        0 => Endpoint::r2("0123456789abcdef0123456789abcdef"),
        1 => Endpoint::aws_s3("us-east-1"),
        2 => Endpoint::aws_s3("eu-west-1").map(|e| e.with_addressing(AddressingStyle::Path)),
        3 => Endpoint::custom("http://127.0.0.1:9000/base", "us-east-1"),
        _ => Endpoint::custom("https://minio.example.com:8443", "auto")
            .map(|e| e.with_addressing(AddressingStyle::VirtualHosted)),
    }
    .expect("valid endpoint");
    let region = endpoint.region().to_owned();
    let access_key = input.access_key.pick(&["AKIDEXAMPLE", "ASIA+/=="]);
    let secret = input
        .secret
        .pick(&["wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "s"]);
    let Ok(mut creds) = Credentials::new(access_key, secret) else {
        return;
    };
    let token = input
        .token
        .as_ref()
        .map(|t| t.pick(&["FwoGZXIvYXdzEXAMPLE//+=", "t"]));
    if let Some(t) = token {
        let Ok(c) = creds.with_session_token(t) else {
            return;
        };
        creds = c;
    }
    let bucket = input
        .bucket
        .pick(&["bucket", "robotrace-episodes", "a.b.c", "0-9"]);
    let key = match &input.key_bytes {
        Some(b) => String::from_utf8_lossy(b).into_owned(),
        None => input.key.clone(),
    };
    let Ok(ttl) = Ttl::from_secs(u64::from(input.ttl % 604_801)) else {
        return;
    };
    let method = [
        Method::Get,
        Method::Put,
        Method::Head,
        Method::Delete,
        Method::Post,
    ][usize::from(input.method % 5)];
    let content_type = match &input.content_type {
        Some(c) => match ContentType::new(c.pick(&["video/mp4", "text/plain; charset=utf-8"])) {
            Ok(ct) => Some(ct),
            Err(_) => return,
        },
        None => None,
    };
    let query: Vec<(&str, &str)> = input
        .query
        .iter()
        .take(20)
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let headers: Vec<(&str, &str)> = input
        .headers
        .iter()
        .take(10)
        .map(|(n, v)| {
            (
                n.pick(&[
                    "x-amz-meta-a",
                    "X-Amz-Meta-B",
                    "x-amz-acl",
                    "range",
                    "if-match",
                ]),
                v.as_str(),
            )
        })
        .collect();
    // aws-sigv4's policy, not SigV4: it never signs these two in a presigned URL.
    if headers.iter().any(|(n, _)| {
        n.eq_ignore_ascii_case("x-amz-user-agent") || n.eq_ignore_ascii_case("x-amz-checksum-mode")
    }) {
        return;
    }
    let overrides = match &input.disposition {
        Some(d) => ResponseOverrides::new().content_disposition(d),
        None => ResponseOverrides::new(),
    };
    let mut request = ObjectRequest::new(method, bucket, &key, ttl)
        .with_query(&query)
        .with_headers(&headers)
        .with_response_overrides(&overrides);
    if let Some(ct) = &content_type {
        request = request.with_content_type(ct);
    }
    // 2015-01-01 plus up to 136 years: inside what SystemTime and aws-sigv4 handle.
    let now = OffsetDateTime::from_unix_timestamp(1_420_070_400 + i64::from(input.time_raw))
        .expect("in range");
    let presigner = Presigner::new(endpoint, creds);
    let Ok(signed) = presigner.presign(&request, now) else {
        return;
    };
    let ours = signed.url();
    let parts = split_url(ours).expect("well-formed URL");
    let expires = query_value(&parts.query, "X-Amz-Expires").expect("present");

    // The same request for aws-sigv4: the URL without the auth parameters, encoded once.
    let mut url = format!("{}://{}{}", parts.scheme, parts.authority, parts.path);
    let extras = input
        .disposition
        .as_deref()
        .map(|d| ("response-content-disposition", d))
        .into_iter()
        .chain(query.iter().copied());
    let mut sep = '?';
    for (n, v) in extras {
        url.push(sep);
        url.push_str(&model_encode(n.as_bytes(), false));
        url.push('=');
        url.push_str(&model_encode(v.as_bytes(), false));
        sep = '&';
    }
    let mut sent: Vec<(String, String)> = signed
        .headers()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    sent.sort_by_key(|(n, _)| n.to_ascii_lowercase());

    let identity = aws_credential_types::Credentials::new(
        access_key,
        secret,
        token.map(str::to_owned),
        None,
        "fuzz",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(Duration::from_secs(expires.parse().expect("decimal")));
    settings.percent_encoding_mode = PercentEncodingMode::Single;
    settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    settings.session_token_mode = SessionTokenMode::Include;
    settings.excluded_headers = Some(Vec::<Cow<'static, str>>::new());
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&region)
        .name("s3")
        .time(SystemTime::UNIX_EPOCH + Duration::from_secs(now.unix_timestamp().unsigned_abs()))
        .settings(settings)
        .build()
        .expect("valid params")
        .into();
    let signable = match SignableRequest::new(
        method.as_str(),
        url.as_str(),
        sent.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        SignableBody::UnsignedPayload,
    ) {
        Ok(s) => s,
        Err(e) => panic!("aws-sigv4 refuses a request presign signed: {e}: {url}"),
    };
    let (instructions, theirs) = sign(signable, &params)
        .unwrap_or_else(|e| panic!("aws-sigv4 cannot sign {url}: {e}"))
        .into_parts();
    let mut theirs_params: Vec<(String, String)> = instructions
        .params()
        .iter()
        .map(|(n, v)| ((*n).to_owned(), v.to_string()))
        .collect();
    theirs_params.sort();
    for (name, value) in &theirs_params {
        assert_eq!(
            query_value(&parts.query, name).as_deref(),
            Some(value.as_str()),
            "{name} differs: ours {ours}"
        );
    }
    assert_eq!(
        query_value(&parts.query, "X-Amz-Signature").as_deref(),
        Some(theirs.as_str()),
        "signature differs from aws-sigv4 for {url}: ours {ours}"
    );
});
