#!/usr/bin/env bash
# Installs the real servers the integration tests start for themselves: Dovecot (IMAP + LMTP),
# Postfix and swaks (a real sending MTA), Chromium for the browser tests, and makes sure
# PostgreSQL's server binaries are there.
# Idempotent: does nothing when everything is present. Needs root (apt-get), as CI has.
set -euo pipefail
need=()
command -v dovecot >/dev/null 2>&1 || need+=(dovecot-imapd dovecot-lmtpd)
[ -x /usr/lib/dovecot/lmtp ] || need+=(dovecot-lmtpd)
command -v postfix >/dev/null 2>&1 || need+=(postfix)
command -v swaks >/dev/null 2>&1 || need+=(swaks)
# swaks needs Net::SSLeay for STARTTLS.
perl -MNet::SSLeay -e1 >/dev/null 2>&1 || need+=(libnet-ssleay-perl)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# The public-suffix list the analysis reads (registrable domains).
[ -f /usr/share/publicsuffix/public_suffix_list.dat ] || need+=(publicsuffix)
# The browser for the web UI tests (Playwright drives it; it never downloads its own).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Dovecot refuses to store mail as root: mailboxes belong to this user.
id vmail >/dev/null 2>&1 || useradd -r -u 5000 -U -M -s /usr/sbin/nologin vmail
exit 0
