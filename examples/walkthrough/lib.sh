# Helpers for the walkthroughs; source it from the repository root: . examples/walkthrough/lib.sh
# U is the server (default http://127.0.0.1:8787); LOG is the file the server's output goes to
# (npm start 2>&1 | tee aidial.log), from which the tokens, keys and invitation links are read.
U=${U:-http://127.0.0.1:8787}
LOG=${LOG:-aidial.log}
J='Content-Type: application/json'

# The export lines the server printed (development tokens, demo keys), unless they are set already.
if [ -z "${TOKEN_ACME_ADMIN:-}" ] && [ -f "$LOG" ]; then
  eval "$(grep -E '^export (TOKEN|AIDIAL_KEY)_[A-Z_]+=[A-Za-z0-9._-]+' "$LOG" | sed -E 's/ +#.*$//')"
fi

# curl ... | pick FIELD...: shows the JSON answer and prints the FIELDs of it (a.b for a nested one) on one line:
#   ORG=$(curl ... | pick partner_org_id)        read KEY ID < <(curl ... | pick plaintext api_key.key_id)
pick() {
  node -e '
    const text = require("fs").readFileSync(0, "utf8"); process.stderr.write(text + "\n")
    let answer; try { answer = JSON.parse(text) } catch { process.stderr.write("that answer is not JSON\n"); process.exit(1) }
    const values = process.argv.slice(1).map((path) => {
      let v = answer; for (const k of path.split(".")) v = v?.[k]
      if (v === undefined || v === null) { process.stderr.write("no " + path + " in that answer\n"); process.exit(1) }
      return v
    })
    console.log(values.join(" "))' "$@"
}

# invitation_link EMAIL: the latest invitation link the server printed for EMAIL
# (the outbox is printed about once a second, so it waits up to 5 s).
invitation_link() {
  node -e '
    const [log, email] = process.argv.slice(1), until = Date.now() + 5000
    const look = () => {
      const lines = require("fs").readFileSync(log, "utf8").split("\n").filter((l) => l.includes(" to " + email + ": "))
      const link = lines.length > 0 && /(https?:\/\/\S+[?&]code=[^\s&]+)/.exec(lines[lines.length - 1])
      if (link) console.log(link[1])
      else if (Date.now() < until) setTimeout(look, 200)
      else { console.error("no invitation link for " + email + " in " + log); process.exit(1) }
    }
    look()' "$LOG" "$1"
}

# invitation_code EMAIL: the code of that link (its code= part)
invitation_code() {
  local link
  link=$(invitation_link "$1") && echo "${link##*code=}"
}
