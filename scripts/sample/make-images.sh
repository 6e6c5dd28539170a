#!/usr/bin/env bash
# Regenerates the sample campaign's artwork (assets/sample-campaign/assets/{logos,images}) from the
# PostScript sources in scripts/sample/ps/ with Ghostscript, and writes the vector network mark.
# Deterministic: the same Ghostscript gives the same bytes (the PostScript seeds its own generator).
#
#   bash scripts/sample/make-images.sh
#
# Sizes are chosen for print: the dealer logos fill a 150 x 45 pt frame on the postcard, so 900 x 270 px
# gives 432 ppi; the hero fills a 315 x 450 pt frame (with bleed), so 1400 x 2000 px gives 320 ppi.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v gs >/dev/null || { echo "make-images: Ghostscript (gs) is required: apt-get install ghostscript" >&2; exit 1; }

ps=scripts/sample/ps
out=assets/sample-campaign/assets
mkdir -p "$out/logos" "$out/images"

# -dALLOWPSTRANSPARENCY enables Ghostscript's transparency operators, used for the glows in the hero.
gsr=(gs -q -dSAFER -dALLOWPSTRANSPARENCY -dBATCH -dNOPAUSE -dGraphicsAlphaBits=4 -dTextAlphaBits=4 -r72)

# Dealer logos: RGBA PNG with a transparent background (pngalpha), and one JPEG on white.
"${gsr[@]}" -g900x270 -sDEVICE=pngalpha -sOutputFile="$out/logos/northside.png" "$ps/common.ps" "$ps/northside.ps"
"${gsr[@]}" -g900x270 -sDEVICE=pngalpha -sOutputFile="$out/logos/lakeview.png" "$ps/common.ps" "$ps/lakeview.ps"
"${gsr[@]}" -g900x270 -sDEVICE=jpeg -dJPEGQ=92 -sOutputFile="$out/logos/mesaverde.jpg" "$ps/common.ps" "$ps/mesaverde.ps"

# Hero photo for the postcard front.
"${gsr[@]}" -g1400x2000 -sDEVICE=jpeg -dJPEGQ=88 -sOutputFile="$out/images/hero.jpg" "$ps/common.ps" "$ps/hero.ps"

# The network mark: plain vector shapes (path, circle, polygon with solid fills; no text, no external
# references) so the PDF writer can draw it as vectors. A white keyline behind each shape keeps the
# mark readable on dark backgrounds (it sits on the hero photo on the postcard front). Navy #14358c and red #e8412c are the brand swatches.
cat >"$out/logos/network-mark.svg" <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 100" width="240" height="100">
  <path fill="#ffffff" d="M20 1 L80 1 C90.5 1 99 9.5 99 20 L99 80 C99 90.5 90.5 99 80 99 L20 99 C9.5 99 1 90.5 1 80 L1 20 C1 9.5 9.5 1 20 1 Z"/>
  <polygon fill="#ffffff" points="114,13 240.6,13 229.9,37 103.4,37"/>
  <polygon fill="#ffffff" points="122,38 224.6,38 213.9,62 111.4,62"/>
  <polygon fill="#ffffff" points="130,63 208.6,63 197.9,87 119.4,87"/>
  <path fill="#14358c" d="M20 4 L80 4 C88.8 4 96 11.2 96 20 L96 80 C96 88.8 88.8 96 80 96 L20 96 C11.2 96 4 88.8 4 80 L4 20 C4 11.2 11.2 4 20 4 Z"/>
  <circle fill="#e8412c" cx="50" cy="34" r="14"/>
  <polygon fill="#ffffff" points="47,40 53,40 78,96 22,96"/>
  <polygon fill="#14358c" points="49.2,46 50.8,46 51.6,56 48.4,56"/>
  <polygon fill="#14358c" points="48,64 52,64 53.4,78 46.6,78"/>
  <polygon fill="#14358c" points="46,86 54,86 54.8,96 45.2,96"/>
  <polygon fill="#14358c" points="116,16 236,16 228,34 108,34"/>
  <polygon fill="#14358c" points="124,41 220,41 212,59 116,59"/>
  <polygon fill="#e8412c" points="132,66 204,66 196,84 124,84"/>
</svg>
SVG

echo "make-images: wrote $out/logos/{network-mark.svg,northside.png,lakeview.png,mesaverde.jpg} and $out/images/hero.jpg"
