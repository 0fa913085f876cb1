. examples/walkthrough/lib.sh

# Without a credential: 401, a WWW-Authenticate challenge and a problem+json body.
curl -si $U/v1/projects
#> HTTP/1.1 401 Unauthorized…www-authenticate: Bearer realm="aidial", ApiKey realm="aidial" header="X-API-Key"…{"type":"urn:aidial:problem:unauthenticated"…}

# Who am I: Alice, partner_admin of Acme (her bearer token is $TOKEN_ACME_ADMIN).
curl -s $U/v1/me -H "Authorization: Bearer $TOKEN_ACME_ADMIN"
#> {"kind":"partner","role":"partner_admin","user_id":"usr_acme_admin","partner_org_id":"org_acme"…}

# Alice sees Acme's clients only; Bob (partner_user) only the projects of the client he is assigned.
curl -s $U/v1/clients -H "Authorization: Bearer $TOKEN_ACME_ADMIN"
#> {"clients":[{"client_id":"cli_acme_dental"…},{"client_id":"cli_acme_plumbing"…}],"next_cursor":null}
curl -s $U/v1/projects -H "Authorization: Bearer $TOKEN_ACME_USER"
#> {"projects":[{"project_id":"prj_acme_dental_live"…},{"project_id":"prj_acme_dental_test"…}],"next_cursor":null}

# AiDial staff select a client explicitly; an unknown selection is the usual 404.
curl -s "$U/v1/projects?client_id=cli_globex_hotel" -H "Authorization: Bearer $TOKEN_OPERATOR"
#> {"projects":[{"project_id":"prj_globex_hotel_live"…},{"project_id":"prj_globex_hotel_test"…}],"next_cursor":null}
curl -s "$U/v1/projects?client_id=cli_globex_hotle" -H "Authorization: Bearer $TOKEN_OPERATOR"
#> {"type":"urn:aidial:problem:not_found","title":"Not Found","status":404,"code":"not_found","detail":"No client with this id."}

# Another organisation's client answers exactly like a client that does not exist.
curl -s $U/v1/clients/cli_globex_clinic -H "Authorization: Bearer $TOKEN_ACME_ADMIN"
#> {"type":"urn:aidial:problem:not_found","title":"Not Found","status":404,"code":"not_found","detail":"No client with this id."}
curl -s $U/v1/clients/cli_nope -H "Authorization: Bearer $TOKEN_ACME_ADMIN"
#> {"type":"urn:aidial:problem:not_found","title":"Not Found","status":404,"code":"not_found","detail":"No client with this id."}

# With an X-API-Key header the key alone decides, even beside a valid bearer token.
curl -s $U/v1/me -H "X-API-Key: adk_test_x" -H "Authorization: Bearer $TOKEN_ACME_ADMIN"
#> {"type":"urn:aidial:problem:unauthenticated"…"status":401…"detail":"The API key is not valid."}

# The demo read key of Bright Smile Dental's live environment ($AIDIAL_KEY_LIVE, printed on the first start).
curl -s $U/v1/projects -H "X-API-Key: $AIDIAL_KEY_LIVE"
#> {"projects":[{"project_id":"prj_acme_dental_live"…}],"next_cursor":null}

# A known path asked with a method it does not take: 405, and Allow lists the methods it takes.
curl -si -X DELETE $U/v1/me -H "Authorization: Bearer $TOKEN_ACME_ADMIN"
#> HTTP/1.1 405 Method Not Allowed…allow: GET…"detail":"DELETE is not allowed here; this path takes GET."}
