#!/usr/bin/env bash
# First command of README.md: install what is missing, build, start a relay on a fresh embedded
# SQLite data directory (127.0.0.1), and run the README walkthrough with the relais CLI: an
# operator, an association with two devices, a professional in a social service.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product relais-server
swift build --product relais
work=$(mktemp -d -t relais-demo-XXXXXX)
port=${RELAIS_DEMO_PORT:-8443}
url="http://127.0.0.1:$port"
.build/debug/relais-server --data "$work/relay" --listen "127.0.0.1:$port" --log-level warning > "$work/relay.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# Demo profiles share one passphrase from the environment; real users type theirs (no echo).
export RELAIS_PASSPHRASE="demo passphrase, not for real use"
relais() { local who=$1; shift; .build/debug/relais "$@" --profile "$work/$who"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
step() { printf '\n== %s\n' "$*"; }
enrol() { # enroller, new profile, role, [organisation]
  local invite id fp
  invite=$(relais "$1" admin invite --role "$3" ${4:+--org "$4"} --json | field invite)
  relais "$2" init --relay "$url" > /dev/null
  relais "$2" enrol "$invite" > /dev/null
  id=$(relais "$2" fingerprint --json | field deviceId); fp=$(relais "$2" fingerprint --json | field fingerprint)
  relais "$1" admin approve "$id" --fingerprint "$fp"
  relais "$2" whoami > /dev/null   # the new device comes online and publishes its prekey
}

step "The operator creates its profile and redeems the relay's operator invite"
relais operator init --relay "$url"
relais operator enrol --operator "$(cat "$work/relay/operator-invite")"
step "The operator creates an association and a social service"
assoc=$(relais operator admin create-org --name "Association Exemple" --category specialisedAssociation --departement 75 --departement 93 --json | field organisationId)
service=$(relais operator admin create-org --name "Service social Exemple" --category socialServices --departement 93 --json | field organisationId)
relais operator directory
step "Each organisation's first admin is invited by the operator; the admins invite their members"
enrol operator assoc-admin admin "$assoc"
enrol assoc-admin assoc-phone member
enrol operator service-admin admin "$service"
enrol service-admin professional member
step "The professional finds the association, records the person's consent, and sends a referral"
relais professional directory --departement 93 --category specialisedAssociation
consent=$(relais professional consent grant --case DEMO-0042 --to-org "$assoc" --purpose emergencyShelter --purpose legalHelp \
  --data situation --data safety --method oral --language ro --interpreter --yes --json | field consentId)
relais professional consent show "$consent"
relais professional send --to "$assoc" --need emergencyShelter --need legalHelp --case DEMO-0042 --minor-status adult --language ro --interpreter \
  --danger 2 --safe-to-call --text "Fictional demonstration: met during outreach, asks for a distant shelter." \
  --consent "$consent" --sender-name "Camille" --sender-role "social worker" --yes
step "Both association devices see it, open it and acknowledge it"
for device in assoc-admin assoc-phone; do
  relais "$device" inbox
  envelope=$(relais "$device" inbox --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["envelopeId"])')
  relais "$device" open "$envelope"
  relais "$device" ack "$envelope"
done
step "The association replies; the professional opens the reply"
appointment=$(python3 -c 'import datetime; print((datetime.date.today() + datetime.timedelta(days=3)).strftime("%Y-%m-%d 10:00"))')
relais assoc-phone reply "$envelope" --outcome appointmentOffered --appointment-at "$appointment" --text "Bring any papers you have to the appointment." \
  --sender-name "Sam" --sender-role "educator" --yes
reply=$(relais professional inbox --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["envelopeId"])')
relais professional open "$reply"
step "A minor: the orientation stops until the child-protection report is made"
minor_consent=$(relais professional consent grant --case DEMO-0077 --to-org "$assoc" --purpose emergencyShelter \
  --data situation --data safety --method oral --language fr --yes --json | field consentId)
minor=(send --to "$assoc" --need emergencyShelter --case DEMO-0077 --minor-status allegedMinor --age-band from15to17 --danger 2 \
  --consent "$minor_consent" --sender-name "Camille" --sender-role "social worker" --yes)
if relais professional "${minor[@]}"; then echo "demo: a minor's orientation went without a report" >&2; exit 1; fi
step "The professional reports to the departmental child protection unit (CRIP) by phone, records it, and the orientation goes"
relais professional outside-report --case DEMO-0077 --to crip --date "$(date +%Y-%m-%d)" --yes
relais professional "${minor[@]}"
step "An exit-programme request to an association accredited in Seine-Saint-Denis, and the commission's opinion"
agreed=$(relais operator admin create-org --name "Association agréée Exemple" --category accreditedAssociation --departement 93 \
  --exit-programme-until 2030-01-01 --json | field organisationId)
enrol operator agreed-admin admin "$agreed"
exit_consent=$(relais professional consent grant --case DEMO-0050 --to-org "$agreed" --purpose exitProgramme --departement 93 --adult \
  --data situation --data administrative --method oral --language fr --yes --json | field consentId)
request=$(relais professional send --to "$agreed" --kind exitProgrammeRequest --need exitProgramme --case DEMO-0050 --minor-status adult \
  --exit-request first --months-used 0 --departement 93 --safe-to-call --consent "$exit_consent" \
  --sender-name "Camille" --sender-role "social worker" --yes --json | field envelopeId)
relais agreed-admin open "$request"
relais agreed-admin reply "$request" --outcome commissionOpinion --opinion favourable --sender-name "Sam" --sender-role "educator" --yes
opinion=$(relais professional inbox --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["envelopeId"])')
relais professional open "$opinion"
step "The professional follows each case: sent, delivered, acknowledged, last outcome, consent validity"
relais professional cases
step "The person withdraws consent: one command; the association's devices erase their copies at their next sync"
relais professional consent withdraw "$consent"
relais assoc-phone inbox
