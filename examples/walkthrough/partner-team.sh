. examples/walkthrough/lib.sh

# Pat, the AiDial admin ($TOKEN_PLATFORM_ADMIN), provisions a partner organisation: it starts "provisioning".
ORG=$(curl -s -X POST $U/v1/partner-orgs -H "Authorization: Bearer $TOKEN_PLATFORM_ADMIN" -H "$J" \
     -d '{"name":"Nimbus Partners"}' | pick partner_org_id)
#> {"partner_org_id":"org_…","name":"Nimbus Partners",…"status":"provisioning"…}

# ... and invites its first partner_admin. The answer holds no link: the link goes out by mail (the outbox), and
# this server prints it to its log, where invitation_code finds it.
curl -s -X POST $U/v1/partner-orgs/$ORG/invitations -H "Authorization: Bearer $TOKEN_PLATFORM_ADMIN" -H "$J" \
     -d '{"email":"New.Partner@example.com","role":"partner_admin"}'
#> {"invitation_id":"inv_…","partner_org_id":"org_…","email":"new.partner@example.com","role":"partner_admin"…"status":"pending"…}
CODE=$(invitation_code new.partner@example.com)

# Nina (new.partner@example.com, $TOKEN_NEW_PARTNER) accepts: the organisation becomes active.
curl -s -X POST $U/v1/invitations/accept -H "Authorization: Bearer $TOKEN_NEW_PARTNER" -H "$J" -d "{\"code\":\"$CODE\"}"
#> {"user_id":"usr_new_partner","partner_org_id":"org_…","role":"partner_admin","partner_org_status":"active"}

# Nina provisions a client, invites Noah (new.colleague@example.com) as partner_user; Noah accepts.
CLIENT=$(curl -s -X POST $U/v1/clients -H "Authorization: Bearer $TOKEN_NEW_PARTNER" -H "$J" \
     -d "{\"name\":\"Harbour Dental\",\"partner_org_id\":\"$ORG\"}" | pick client_id)
#> {"client_id":"cli_…","partner_org_id":"org_…","name":"Harbour Dental","status":"active"…}
curl -s -X POST $U/v1/partner-orgs/$ORG/invitations -H "Authorization: Bearer $TOKEN_NEW_PARTNER" -H "$J" \
     -d '{"email":"new.colleague@example.com","role":"partner_user"}'
#> {"invitation_id":"inv_…","email":"new.colleague@example.com","role":"partner_user"…"invited_by":"usr_new_partner"…}
CODE2=$(invitation_code new.colleague@example.com)
curl -s -X POST $U/v1/invitations/accept -H "Authorization: Bearer $TOKEN_NEW_COLLEAGUE" -H "$J" -d "{\"code\":\"$CODE2\"}"
#> {"user_id":"usr_new_colleague","partner_org_id":"org_…","role":"partner_user","partner_org_status":"active"}

# Nina assigns Noah to the client (204, no body), then reads the audit trail of her organisation.
curl -s -o /dev/null -w "%{http_code}\n" -X PUT $U/v1/clients/$CLIENT/assignees/usr_new_colleague \
     -H "Authorization: Bearer $TOKEN_NEW_PARTNER"
#> 204
curl -s "$U/v1/audit-events?action=client.assign" -H "Authorization: Bearer $TOKEN_NEW_PARTNER"
#> {"events":[{…"actor":{"kind":"user","id":"usr_new_partner"},"action":"client.assign",…"details":{"user_id":"usr_new_colleague"}}],"next_cursor":null}
