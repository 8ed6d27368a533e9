#!/usr/bin/env python3
"""Independent peer for tests/differential/: presign S3 URLs with botocore.

Reads one JSON object per line on stdin and writes one JSON object per line on
stdout, in the same order:

  in:  {"id": 7, "method": "PUT", "endpoint": "http://127.0.0.1:9000",
        "virtual_hosted": false, "bucket": "b", "key": "a b/c",
        "access_key": "AKID", "secret": "...", "token": null,
        "region": "auto", "time": 1700000000, "expires": 900,
        "query": [["response-content-type", "text/plain"]],
        "headers": [["content-type", "text/plain"]]}
  out: {"id": 7, "url": "http://127.0.0.1:9000/b/a%20b/c?...&X-Amz-Signature=...",
        "canonical_request": "PUT\n/b/a%20b/c\n...", "string_to_sign": "AWS4-HMAC-SHA256\n..."}
       or {"id": 7, "error": "..."}

The URL is built the way botocore's REST serializer builds it (greedy `{Key+}`
label: percent_encode(key, safe='/~')), then signed by botocore's own
`S3SigV4QueryAuth` (the signer behind `generate_presigned_url` for s3v4) with
the signing clock pinned to `time` (seconds since the Unix epoch, UTC).

With `"generic": true` the case is any-service query signing instead (the lower-level
`presign::sigv4` API): `endpoint` is scheme://host[:port], `path` the path as it
appears in the request line, `service` the scope's service, `normalize` whether
the path is normalised (botocore's `SigV4QueryAuth`; with normalisation off, the
same class minus `normalize_url_path`), and `unsigned` selects UNSIGNED-PAYLOAD
instead of the empty body's SHA-256.

With `"client": true` and `"operation"` (e.g. "upload_part"), `params` are that
operation's parameters as botocore's S3 model names them (`UploadId`, `PartNumber`,
`ContentMD5`, `ChecksumSHA256`, `IfNoneMatch`, ...).

With `"client": true` the whole SDK path is used instead: an S3 client for
`region` / `endpoint_url` / `addressing` ("virtual" or "path") and its
`generate_presigned_url` for the method's operation (get_object, put_object,
head_object, delete_object), with `content_type` as ContentType and the
`response-*` query parameters as the Response* operation parameters.

Nothing here knows about the `presign` crate: the expected values come from
botocore alone.

`--probe` prints botocore's version and exits (used to check the install).
"""

import datetime
import json
import sys
from urllib.parse import quote, urlsplit, urlunsplit

try:
    import botocore
    import botocore.auth as auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from botocore.utils import percent_encode
except ImportError as exc:  # pragma: no cover - reported to the Rust side
    sys.stderr.write(f"botocore is not importable: {exc}; run `pip install botocore`\n")
    sys.exit(3)


def object_url(case):
    """scheme://host[:port][/base]/bucket/key (path style) or
    scheme://bucket.host[:port][/base]/key (virtual-hosted), key encoded like
    botocore's serializer encodes the greedy `{Key+}` label."""
    parts = urlsplit(case["endpoint"])
    base = parts.path.rstrip("/")
    key = percent_encode(case["key"], safe="/~")
    bucket = case["bucket"]
    if case["virtual_hosted"]:
        netloc = f"{bucket}.{parts.netloc}"
        path = f"{base}/{key}"
    else:
        netloc = parts.netloc
        path = f"{base}/{percent_encode(bucket, safe='')}/{key}"
    return urlunsplit((parts.scheme, netloc, path, "", ""))


def presign(case):
    when = datetime.datetime.fromtimestamp(case["time"], tz=datetime.timezone.utc)
    when = when.replace(tzinfo=None)
    # botocore reads the clock through this module-level name.
    auth.get_current_datetime = lambda *args, **kwargs: when

    creds = Credentials(case["access_key"], case["secret"], case.get("token"))
    params = {}
    for name, value in case.get("query") or []:
        if name in params:
            raise ValueError(f"duplicate query parameter {name!r} is not supported by botocore")
        params[name] = value
    request = AWSRequest(method=case["method"], url=object_url(case), params=params)
    # HTTPHeaders appends on assignment, so a repeated header name keeps every value, in
    # order, as SigV4 wants ("a,b" in the canonical headers).
    for name, value in case.get("headers") or []:
        request.headers[name] = value
    signer = auth.S3SigV4QueryAuth(creds, "s3", case["region"], expires=case["expires"])
    seen = _capture(signer)
    signer.add_auth(request)
    return request.url, seen


class _GenericQueryAuthNoNormalize(auth.SigV4QueryAuth):
    """botocore's generic query signer with path normalisation switched off: the same
    `quote(path, safe='/~')` botocore applies, minus `normalize_url_path`."""

    def _normalize_url_path(self, path):
        return quote(path, safe="/~")


def presign_generic(case):
    """Any-service query signing (`SigV4QueryAuth`): the path is taken as it appears in
    the request line and encoded again; the payload is the SHA-256 of the empty body, or
    UNSIGNED-PAYLOAD when `unsigned` is true."""
    when = datetime.datetime.fromtimestamp(case["time"], tz=datetime.timezone.utc)
    when = when.replace(tzinfo=None)
    auth.get_current_datetime = lambda *args, **kwargs: when
    creds = Credentials(case["access_key"], case["secret"], case.get("token"))
    params = {}
    for name, value in case.get("query") or []:
        if name in params:
            raise ValueError(f"duplicate query parameter {name!r} is not supported by botocore")
        params[name] = value
    parts = urlsplit(case["endpoint"])
    url = urlunsplit((parts.scheme, parts.netloc, case["path"], "", ""))
    request = AWSRequest(method=case["method"], url=url, params=params)
    for name, value in case.get("headers") or []:
        request.headers[name] = value
    if case.get("unsigned"):
        request.context["payload_signing_enabled"] = False
    cls = auth.SigV4QueryAuth if case["normalize"] else _GenericQueryAuthNoNormalize
    signer = cls(creds, case["service"], case["region"], expires=case["expires"])
    seen = _capture(signer)
    signer.add_auth(request)
    return request.url, seen


def _capture(signer):
    """Records the canonical request and string to sign botocore computes."""
    seen = {}
    original = signer.string_to_sign

    def string_to_sign(request, canonical_request):
        sts = original(request, canonical_request)
        seen["canonical_request"] = canonical_request
        seen["string_to_sign"] = sts
        return sts

    signer.string_to_sign = string_to_sign
    return seen


_CLIENTS = {}

_OVERRIDE_PARAMS = {
    "response-cache-control": "ResponseCacheControl",
    "response-content-disposition": "ResponseContentDisposition",
    "response-content-encoding": "ResponseContentEncoding",
    "response-content-language": "ResponseContentLanguage",
    "response-content-type": "ResponseContentType",
    "response-expires": "ResponseExpires",
}


def presign_with_client(case):
    """The whole SDK path: an S3 client's `generate_presigned_url`, which builds the
    endpoint, the addressing style and the request from the S3 service model itself."""
    import botocore.session
    from botocore.config import Config

    when = datetime.datetime.fromtimestamp(case["time"], tz=datetime.timezone.utc)
    when = when.replace(tzinfo=None)
    auth.get_current_datetime = lambda *args, **kwargs: when

    key = (case["region"], case.get("endpoint_url"), case["addressing"])
    client = _CLIENTS.get(key)
    if client is None:
        if "session" not in _CLIENTS:
            # One session: it loads and caches the service model once.
            _CLIENTS["session"] = botocore.session.get_session()
        client = _CLIENTS["session"].create_client(
            "s3",
            region_name=case["region"],
            endpoint_url=case.get("endpoint_url"),
            aws_access_key_id="placeholder",
            aws_secret_access_key="placeholder",
            config=Config(
                signature_version="s3v4",
                s3={
                    "addressing_style": case["addressing"],
                    # s3.us-east-1.amazonaws.com rather than the legacy global endpoint.
                    "us_east_1_regional_endpoint": "regional",
                },
            ),
        )
        _CLIENTS[key] = client
    # One client per endpoint; the credentials change per case.
    client._request_signer._credentials = Credentials(
        case["access_key"], case["secret"], case.get("token")
    )
    if case.get("operation"):
        # Any S3 operation with its parameters as the service model names them (the
        # multipart steps, bound uploads).
        url = client.generate_presigned_url(
            case["operation"], Params=case["params"], ExpiresIn=case["expires"]
        )
        return url, {}
    params = {"Bucket": case["bucket"], "Key": case["key"]}
    if case.get("content_type") is not None:
        params["ContentType"] = case["content_type"]
    for name, value in case.get("query") or []:
        params[_OVERRIDE_PARAMS[name]] = value
    operation = {
        "GET": "get_object",
        "PUT": "put_object",
        "HEAD": "head_object",
        "DELETE": "delete_object",
    }[case["method"]]
    url = client.generate_presigned_url(
        operation, Params=params, ExpiresIn=case["expires"], HttpMethod=case["method"]
    )
    return url, {}


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--probe":
        print(f"botocore {botocore.__version__}")
        return 0
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        case = json.loads(line)
        try:
            if case.get("client"):
                sign = presign_with_client
            elif case.get("generic"):
                sign = presign_generic
            else:
                sign = presign
            url, seen = sign(case)
            reply = {"id": case["id"], "url": url, **seen}
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the test
            reply = {"id": case.get("id"), "error": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(reply) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
