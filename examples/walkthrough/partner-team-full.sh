. examples/walkthrough/lib.sh

# 1. Pat, the AiDial admin ($TOKEN_PLATFORM_ADMIN), provisions a partner organisation: it starts "provisioning".
ORG=$(curl -s -X POST $U/v1/partner-orgs -H "Authorization: Bearer $TOKEN_PLATFORM_ADMIN" -H "$J" \
     -d '{"name":"Nimbus Partners","description":"Resells voice agents in APAC"}' | pick partner_org_id)
#> {"partner_org_id":"org_…","name":"Nimbus Partners","description":"Resells voice agents in APAC","status":"provisioning",…}

# 2. ... and invites the first partner_admin. The answer is metadata only: no link, no token.
curl -s -X POST $U/v1/partner-orgs/$ORG/invitations -H "Authorization: Bearer $TOKEN_PLATFORM_ADMIN" -H "$J" \
     -d '{"email":"New.Partner@example.com","role":"partner_admin","message":"Welcome to Nimbus"}'
#> {"invitation_id":"inv_…","email":"new.partner@example.com","role":"partner_admin","message":"Welcome to Nimbus","status":"pending","invited_by":"usr_platform_admin",…"expires_at":"…"…}

# 3. The link travels through the outbox; this server prints it to its log (a real deployment mails it):
#      [outbox] team.invitation to new.partner@example.com: http://127.0.0.1:8787/accept?code=inv_….…
#    Opened in a browser, the link shows the curl call that accepts it. The code is the code= part of the link.
CODE=$(invitation_code new.partner@example.com)
curl -s "$(invitation_link new.partner@example.com)"
#> AiDial development server: accept this invitation as the invited user…curl -s -X POST http://…/v1/invitations/accept…

# 4. Nina (new.partner@example.com, $TOKEN_NEW_PARTNER) accepts; the organisation becomes active. Twice is a 409.
curl -s -X POST $U/v1/invitations/accept -H "Authorization: Bearer $TOKEN_NEW_PARTNER" -H "$J" -d "{\"code\":\"$CODE\"}"
#> {"user_id":"usr_new_partner","partner_org_id":"org_…","role":"partner_admin","partner_org_status":"active"}
curl -s -X POST $U/v1/invitations/accept -H "Authorization: Bearer $TOKEN_NEW_PARTNER" -H "$J" -d "{\"code\":\"$CODE\"}"
#> {"type":"urn:aidial:problem:invitation_already_accepted","title":"Conflict","status":409,"code":"invitation_already_accepted",…}

# 5. Nina provisions a client in her organisation.
CLIENT=$(curl -s -X POST $U/v1/clients -H "Authorization: Bearer $TOKEN_NEW_PARTNER" -H "$J" \
     -d "{\"name\":\"Harbour Dental\",\"partner_org_id\":\"$ORG\"}" | pick client_id)
#> {"client_id":"cli_…","partner_org_id":"org_…","name":"Harbour Dental","status":"active",…}

# 6. ... invites Noah (new.colleague@example.com) as partner_user (a field the route does not declare is refused
#    first), and Noah ($TOKEN_NEW_COLLEAGUE) accepts with the code of his link.
curl -s -X POST $U/v1/partner-orgs/$ORG/invitations -H "Authorization: Bearer $TOKEN_NEW_PARTNER" -H "$J" \
     -d '{"email":"new.colleague@example.com","role":"partner_user","status":"accepted"}'
#> {"type":"urn:aidial:problem:bad_request",…"status":400,…"detail":"…status…"}
curl -s -X POST $U/v1/partner-orgs/$ORG/invitations -H "Authorization: Bearer $TOKEN_NEW_PARTNER" -H "$J" \
     -d '{"email":"new.colleague@example.com","role":"partner_user"}'
#> {"invitation_id":"inv_…","role":"partner_user","message":null,"status":"pending","invited_by":"usr_new_partner",…}
CODE2=$(invitation_code new.colleague@example.com)
curl -s -X POST $U/v1/invitations/accept -H "Authorization: Bearer $TOKEN_NEW_COLLEAGUE" -H "$J" -d "{\"code\":\"$CODE2\"}"
#> {"user_id":"usr_new_colleague","partner_org_id":"org_…","role":"partner_user","partner_org_status":"active"}

# 7. Nina assigns Noah to the client (204, no body); Noah now sees exactly that client.
curl -s -o /dev/null -w "%{http_code}\n" -X PUT $U/v1/clients/$CLIENT/assignees/usr_new_colleague \
     -H "Authorization: Bearer $TOKEN_NEW_PARTNER"
#> 204
curl -s $U/v1/clients -H "Authorization: Bearer $TOKEN_NEW_COLLEAGUE"
#> {"clients":[{"client_id":"cli_…","partner_org_id":"org_…","name":"Harbour Dental","status":"active",…}],"next_cursor":null}

# 8. The team, and the last partner_admin guard; an API key (another client's) gets nothing here.
curl -s -X PATCH $U/v1/partner-orgs/$ORG/members/usr_new_partner -H "Authorization: Bearer $TOKEN_NEW_PARTNER" -H "$J" \
     -d '{"role":"partner_user"}'
#> {"type":"urn:aidial:problem:last_partner_admin","title":"Conflict","status":409,"code":"last_partner_admin",…}
curl -s $U/v1/partner-orgs/$ORG/members -H "Authorization: Bearer $TOKEN_NEW_PARTNER"
#> {"members":[{"user_id":"usr_new_colleague","email":"new.colleague@example.com","display_name":"Noah (new colleague)","role":"partner_user",…},{"user_id":"usr_new_partner","email":"new.partner@example.com","display_name":"Nina (new partner)","role":"partner_admin",…}]}
curl -s $U/v1/partner-orgs/$ORG/members -H "X-API-Key: $AIDIAL_KEY_LIVE"
#> {"type":"urn:aidial:problem:not_found","title":"Not Found","status":404,"code":"not_found","detail":"No partner_org with this id."}

# 9. The audit trail of all of it, oldest first (a partner_admin sees their organisation's events; accepting the
#    first invitation also activates the organisation, two events of one transaction), then filtered,
#    then a page of two with the cursor to the next; a partner_user may not read it.
curl -s "$U/v1/audit-events?limit=20" -H "Authorization: Bearer $TOKEN_NEW_PARTNER"
#> {"events":[{…"action":"partner.provision",…"details":{"name":"Nimbus Partners"}},{…"action":"team.invite",…"details":{"email":"new.partner@example.com","role":"partner_admin"}},{…"details":{"user_id":"usr_new_partner","role":"partner_admin"}}…{…"action":"client.provision",…},{…"action":"team.invite",…},{…"action":"team.invitation.accept",…},{…"action":"client.assign",…"details":{"user_id":"usr_new_colleague"}}],"next_cursor":null}
curl -s "$U/v1/audit-events?client_id=$CLIENT&action=client.assign" -H "Authorization: Bearer $TOKEN_NEW_PARTNER"
#> {"events":[{…"action":"client.assign",…"details":{"user_id":"usr_new_colleague"}}],"next_cursor":null}
curl -s "$U/v1/audit-events?limit=2" -H "Authorization: Bearer $TOKEN_NEW_PARTNER"
#> {"events":[{…"action":"partner.provision"…},{…"action":"team.invite"…}],"next_cursor":"…"}
curl -s "$U/v1/audit-events" -H "Authorization: Bearer $TOKEN_NEW_COLLEAGUE"
#> {"type":"urn:aidial:problem:forbidden","title":"Forbidden","status":403,"code":"forbidden","detail":"Your role does not allow audit.view."}
