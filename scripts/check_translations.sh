#!/usr/bin/env bash
# Fails when a message of the interface has no English translation (or only a fuzzy one).
# makemessages runs on a copy of the tree, so the tracked catalogue is never rewritten here;
# `make messages` updates it for real.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
git ls-files -z --cached --others --exclude-standard | grep -zv '^shared/' \
  | xargs -0 cp --parents -t "$copy" 2>/dev/null || true
(cd "$copy" && "$OLDPWD/$PY" manage.py makemessages -l en --no-obsolete >/dev/null)
po="$copy/locale/en/LC_MESSAGES/django.po"
untranslated=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
# Each listing has a header entry of its own when it lists anything.
untranslated=$(( untranslated > 0 ? untranslated - 1 : 0 ))
fuzzy=$(( fuzzy > 0 ? fuzzy - 1 : 0 ))
if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
  echo "translations: $untranslated messages without English and $fuzzy fuzzy ones:" >&2
  msgattrib --untranslated --no-obsolete --no-wrap "$po" | grep '^msgid ' | tail -n +2 | head -20 >&2 || true
  msgattrib --only-fuzzy --no-obsolete --no-wrap "$po" | grep '^msgid ' | tail -n +2 | head -20 >&2 || true
  echo "run \`make messages\`, translate them in locale/en/LC_MESSAGES/django.po, commit" >&2
  exit 1
fi
echo "translations: every message has its English"
