#!/bin/sh
# Build assets/colour/FOGRA39.icc, packgen's default CMYK output condition, from
# the FOGRA39L characterisation data in Debian's icc-profiles-free package
# (Zlib licence, see FOGRA39.LICENSE) with ArgyllCMS's colprof.
#
#   apt-get install -y argyll icc-profiles-free
#   sh assets/colour/build-profile.sh            # writes assets/colour/FOGRA39.icc
#
# colprof options (see PROVENANCE.md for why):
#   -ql -bl   low-quality A2B and B2A tables (CLUT 5 and 9 points): a 28 KB profile
#             whose peak error against the 1617 FOGRA39L patches is under 2 dE76
#   -nc       do not copy the .ti3 measurement data into the profile
#   -kr       black generation: a ramp (ArgyllCMS's default)
#   -l300     total ink limit 300 %, packgen's total-ink rule
#   -L100     black ink limit 100 %
#   -D / -C   the description (the PDF/X output condition) and the copyright tag
# The profile's header date is then set to the data's date (2006-12-01), so the
# same ArgyllCMS version gives the same bytes.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${FOGRA39L:-/usr/share/color/icc/FOGRA39L.ti3}
[ -f "$data" ] || { echo "error: $data not found (apt-get install -y icc-profiles-free)" >&2; exit 1; }
command -v colprof >/dev/null || { echo "error: colprof not found (apt-get install -y argyll)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$data" "$work/FOGRA39L.ti3"
(cd "$work" && colprof -ql -bl -nc -kr -l300 -L100 \
    -D "FOGRA39 (ISO 12647-2:2004/Amd 1, coated paper), built from FOGRA39L by packgen" \
    -C "Data: Fogra (FOGRA39L, Zlib licence, via icc-profiles-free); profile: ArgyllCMS colprof" \
    FOGRA39L >/dev/null)
python3 - "$work/FOGRA39L.icc" <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
data[24:36] = struct.pack(">6H", 2006, 12, 1, 0, 0, 0)  # ICC header dateTimeNumber
open(path, "wb").write(bytes(data))
PY
cp "$work/FOGRA39L.icc" "$here/FOGRA39.icc"
profcheck "$work/FOGRA39L.ti3" "$here/FOGRA39.icc" 2>&1 | tail -n 1
echo "wrote $here/FOGRA39.icc ($(wc -c < "$here/FOGRA39.icc") bytes)"
