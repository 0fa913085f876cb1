. examples/walkthrough/lib.sh
K=$U/v1/clients/cli_acme_dental/api-keys   # Bright Smile Dental's keys; Alice ($TOKEN_ACME_ADMIN) manages them

# Create a read key for the live environment, expiring in 90 days ("expires" is in days, "never" or a date-time).
# The answer shows the plaintext once; pick keeps it and the key's id in shell variables.
read NEW_KEY KEY_ID < <(curl -s -X POST $K -H "Authorization: Bearer $TOKEN_ACME_ADMIN" -H "$J" \
     -d '{"name":"CRM sync","scope":"read","environment":"live","expires":90}' | pick plaintext api_key.key_id)
#> {"api_key":{"key_id":"key_…","client_id":"cli_acme_dental","name":"CRM sync",…"scope":"read","environment":"live",…"status":"active",…},"plaintext":"adk_live_…"}

# A value the API does not take is a 400 that names every value it does take.
curl -s -X POST $K -H "Authorization: Bearer $TOKEN_ACME_ADMIN" -H "$J" -d '{"name":"CRM sync","scope":"write","environment":"live"}'
#> {"type":"urn:aidial:problem:bad_request",…"status":400,…"detail":"scope: expected \"read\" or \"manage\", got \"write\""}

# The key reads its own client's live projects only.
curl -s $U/v1/projects -H "X-API-Key: $NEW_KEY"
#> {"projects":[{"project_id":"prj_acme_dental_live"…}],"next_cursor":null}

# Rotate it (no body needed: the replacement keeps the expiry); the old plaintext fails on the very next request.
read ROTATED_KEY ROTATED_ID < <(curl -s -X POST $K/$KEY_ID/rotate -H "Authorization: Bearer $TOKEN_ACME_ADMIN" \
     | pick plaintext api_key.key_id)
#> {"api_key":{"key_id":"key_…","status":"active"…},"plaintext":"adk_live_…","previous":{"key_id":"key_…","status":"rotated"…}}
curl -s $U/v1/projects -H "X-API-Key: $NEW_KEY"
#> {"type":"urn:aidial:problem:unauthenticated"…"status":401…}
curl -s $U/v1/projects -H "X-API-Key: $ROTATED_KEY"
#> {"projects":[{"project_id":"prj_acme_dental_live"…}],"next_cursor":null}

# Revoke the replacement with a reason; it stops working at once.
curl -s -X POST $K/$ROTATED_ID/revoke -H "Authorization: Bearer $TOKEN_ACME_ADMIN" -H "$J" -d '{"reason":"integration retired"}'
#> {"key_id":"key_…","status":"revoked"…}
curl -s $U/v1/projects -H "X-API-Key: $ROTATED_KEY"
#> {"type":"urn:aidial:problem:unauthenticated"…"status":401…}

# A key cannot manage keys, even its client's own: lifecycle routes take bearer tokens only.
curl -s -X POST $K -H "X-API-Key: $AIDIAL_KEY_LIVE" -H "$J" -d '{"name":"x","scope":"read","environment":"live"}'
#> {"type":"urn:aidial:problem:forbidden"…"status":403…}

# Usage of the first key per minute (written about once a second): its one successful request. The 401 after the
# rotation counts for no key: a request whose key does not authenticate is not attributed to any.
sleep 1
curl -s "$K/$KEY_ID/usage?bucket=minute" -H "Authorization: Bearer $TOKEN_ACME_ADMIN"
#> {"key_id":"key_…","bucket":"minute",…"total":1,…"counts":[{"start":"…","total":1,"count_2xx":1,"count_4xx":0,"count_5xx":0,"by_status":{"200":1}}]}
