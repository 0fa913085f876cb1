. examples/walkthrough/lib.sh
P=$U/v1/projects/prj_acme_dental_live   # Bright Smile Dental's live receptionist; Alice ($TOKEN_ACME_ADMIN) edits it
A="Authorization: Bearer $TOKEN_ACME_ADMIN"
M='Content-Type: application/merge-patch+json'

# The draft, with its revision as its ETag (the demo draft is one edit ahead of live version 2).
curl -si $P/draft -H "$A"
#> HTTP/1.1 200 OK…etag: "3"…{"project_id":"prj_acme_dental_live","revision":3,…}

# Edit it with a JSON merge patch; If-Match names the revision that was read.
curl -s -X PATCH $P/draft -H "$A" -H "$M" -H 'If-Match: "3"' -d '{"agent":{"voice":"nova"}}'
#> {"project_id":"prj_acme_dental_live","revision":4,…"voice":"nova"…}

# The same If-Match again is stale now: 412 with the current revision, and nothing changes.
curl -s -X PATCH $P/draft -H "$A" -H "$M" -H 'If-Match: "3"' -d '{"agent":{"voice":"echo"}}'
#> {"type":"urn:aidial:problem:stale_revision",…"status":412,"code":"stale_revision",…"current_revision":4}

# Without If-Match: 428. Every validation error at once: 422, each with its JSON pointer and code.
curl -s -X PATCH $P/draft -H "$A" -H "$M" -d '{"agent":{"voice":"echo"}}'
#> {…"status":428,"code":"if_match_required"…}
curl -s -X PATCH $P/draft -H "$A" -H "$M" -H 'If-Match: "4"' \
     -d '{"agent":{"language":"english"},"call_limits":{"max_concurrent_calls":0,"max_call_minutes":15,"daily_call_cap":400}}'
#> {…"status":422,"code":"invalid_configuration",…"errors":[{"pointer":"/agent/language","code":"invalid_language_tag",…},{"pointer":"/call_limits/max_concurrent_calls","code":"out_of_range",…}]}

# A read key sees the draft but may not edit it.
curl -s -X PATCH $P/draft -H "X-API-Key: $AIDIAL_KEY_LIVE" -H "$M" -H 'If-Match: "4"' -d '{"agent":{"voice":"echo"}}'
#> {…"status":403,"code":"forbidden"…}

# Publish the reviewed revision: version 3, now live.
curl -s -X POST $P/publish -H "$A" -H "$J" -H 'If-Match: "4"' -d '{"note":"Warmer greeting, new voice"}'
#> {"version":3,"content_hash":"sha256:…","revision":4,…"note":"Warmer greeting, new voice","live":true}

# The versions, and what changed from version 2 to 3 as an RFC 6902 JSON Patch.
curl -s $P/versions -H "$A"
#> {"versions":[{"version":1,…"live":false},{"version":2,…"live":false},{"version":3,…"live":true}]}
curl -s "$P/diff?from=2&to=3" -H "$A"
#> {"from":"2","to":"3","operations":[{"op":"replace","path":"/agent/first_message",…},{"op":"replace","path":"/agent/voice","value":"nova"}]}

# Restore version 2 into the draft (a new revision that records restored_from), then publish it as version 4.
curl -s -X POST $P/versions/2/restore -H "$A" -H 'If-Match: "4"'
#> {"project_id":"prj_acme_dental_live","revision":5,…"restored_from":2}
curl -s -X POST $P/publish -H "$A" -H "$J" -H 'If-Match: "5"' -d '{}'
#> {"version":4,…"live":true}
curl -s "$P/diff?from=2&to=live" -H "$A"
#> {"from":"2","to":"live","operations":[]}
