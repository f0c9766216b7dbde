#!/usr/bin/env bash
# Unpacks bookworm-backports' Emacs (30.x, Eglot built in) into DIR and writes DIR/emacs, a
# launcher that runs it from there. The package names come from the suite's own index, so a
# newer backport is picked up; its libraries (libgccjit0, libtree-sitter0, ...) come from
# bookworm through apt. Usage: emacs_backports.sh DIR
set -euo pipefail
dir=$1
mirror=${PAPERLS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -fsS "$mirror/dists/bookworm-backports/main/binary-amd64/Packages.xz" | xz -d >"$work/Packages"
# Filename and Depends of each of the three packages a terminal Emacs needs.
awk -v want="emacs-nox emacs-bin-common emacs-common" '
  BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) keep[w[i]] = 1 }
  /^Package: / { p = $2 } /^Filename: / { f = $2 } /^Depends: / { d = substr($0, 10) }
  /^$/ { if (p in keep) print p "\t" f "\t" d; p = f = d = "" }' "$work/Packages" >"$work/picked"
[ "$(wc -l <"$work/picked")" -eq 3 ] || { echo "bookworm-backports has no Emacs packages" >&2; exit 1; }
# The shared libraries it links against, from bookworm (the emacs-* ones are the three above).
libs=$(cut -f3 "$work/picked" | tr ',' '\n' | sed 's/[(|].*//; s/ //g' | grep -v '^emacs' | grep . | sort -u)
missing=()
for l in $libs; do dpkg -s "$l" >/dev/null 2>&1 || missing+=("$l"); done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
mkdir -p "$dir"
rm -rf "$dir/root"
cut -f2 "$work/picked" | while read -r f; do
  curl -fsS -o "$work/pkg.deb" "$mirror/$f"
  dpkg-deb -x "$work/pkg.deb" "$dir/root"
done
version=$(ls "$dir/root/usr/share/emacs" | grep -E '^[0-9]+\.[0-9]+$' | sort -V | tail -1)
dump=$(ls "$dir/root/usr/libexec/emacs/$version"/*/*.pdmp | head -1)
cat >"$dir/emacs" <<EOF
#!/bin/sh
# Emacs $version from bookworm-backports, run from $dir/root (see tests/editors/emacs_backports.sh).
r="$dir/root"
export EMACSLOADPATH="\$r/usr/share/emacs/$version/lisp"
export EMACSDATA="\$r/usr/share/emacs/$version/etc"
export EMACSDOC="\$r/usr/share/emacs/$version/etc"
export EMACSPATH="$(dirname "$dump")"
exec "\$r/usr/bin/emacs-nox" --dump-file="$dump" "\$@"
EOF
chmod +x "$dir/emacs"
"$dir/emacs" --batch -Q --eval '(progn (require (quote eglot)) (princ (format "Emacs %s, Eglot built in\n" emacs-version)))'
