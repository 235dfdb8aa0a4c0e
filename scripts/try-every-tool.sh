#!/usr/bin/env bash
# Runs every tool once through `aia tools call` on a synthetic unit and on the PaddleOCR classifier:
# the by-hand check that each experiment works from a clean checkout. Exits non-zero if any call fails.
set -u
cd "$(dirname "$0")/.."
out=${1:-runs/try-every-tool}
line='{"background":"white","items":[{"kind":"word","name":"hello world","size":0.55,"colour":"black"}]}'
flipped='{"background":"white","items":[{"kind":"word","name":"hello world","size":0.55,"colour":"black"}],"effects":[{"kind":"rotate","degrees":180}]}'
syn='synthetic:maia/mono-dog'
cls='paddle-ocr-cls'
calls=(
  "$syn|describe_subject|{}"
  "$syn|list_units|{}"
  "$syn|call_units|{\"units\":[\"synthetic:0\"],\"stimuli\":[\"a dog on grass\",\"a cat on grass\"]}"
  "$syn|dataset_exemplars|{\"unit\":\"synthetic:0\",\"k\":4}"
  "$syn|render_scenes|{\"stimuli\":[\"two red dogs beside a boat on sand\"]}"
  "$syn|edit_scenes|{\"stimuli\":[\"a dog on grass\"],\"edits\":[\"replace the dog with a cat\"],\"units\":[\"synthetic:0\"]}"
  "$syn|classify|{\"stimuli\":[\"a dog on grass\"]}"
  "$syn|concept_stats|{\"unit\":\"synthetic:0\"}"
  "$syn|saliency|{\"stimuli\":[\"a dog on grass\"],\"unit\":\"synthetic:0\"}"
  "$syn|alignment|{\"stimuli\":[\"a dog on grass\"],\"unit\":\"synthetic:0\",\"concept\":\"dog\"}"
  "$syn|ablate_units|{\"units\":[\"synthetic:0\"],\"stimuli\":[\"a dog on grass\"]}"
  "$syn|steer_units|{\"units\":[\"synthetic:0\"],\"op\":\"add\",\"value\":0.5,\"stimuli\":[\"a dog on grass\"]}"
  "$syn|record_hypothesis|{\"text\":\"fires on dogs\",\"status\":\"proposed\"}"
  "$syn|submit_answer|{\"description\":\"dogs\",\"formula\":\"dog\",\"confidence\":0.9}"
  "$cls|describe_subject|{}"
  "$cls|list_units|{}"
  "$cls|call_units|{\"units\":[\"final_conv:5\"],\"stimuli\":[$line,$flipped]}"
  "$cls|dataset_exemplars|{\"unit\":\"final_conv:5\",\"k\":4}"
  "$cls|render_scenes|{\"stimuli\":[$line]}"
  "$cls|edit_scenes|{\"stimuli\":[$line],\"edits\":[\"rotate 180\"]}"
  "$cls|classify|{\"stimuli\":[$line,$flipped]}"
  "$cls|concept_stats|{\"unit\":\"final_conv:5\"}"
  "$cls|saliency|{\"stimuli\":[$line],\"label\":\"0\"}"
  "$cls|alignment|{\"stimuli\":[$line],\"label\":\"0\",\"concept\":\"text\"}"
  "$cls|ablate_units|{\"units\":[\"final_conv:*\"],\"stimuli\":[$line,$flipped]}"
  "$cls|steer_units|{\"units\":[\"final_conv:5\"],\"op\":\"add\",\"value\":1,\"stimuli\":[$line]}"
  "$cls|record_hypothesis|{\"text\":\"reads stroke orientation\",\"status\":\"proposed\"}"
  "$cls|submit_answer|{\"description\":\"upright text\",\"confidence\":0.5}"
)
failed=0
for call in "${calls[@]}"; do
  IFS='|' read -r subject tool args <<<"$call"
  dir="$out/${subject//[:\/]/_}/$tool"
  mkdir -p "$dir"
  if node bin/aia.js tools call "$tool" "$args" --subject "$subject" --out "$dir" >"$dir.txt" 2>"$dir.err"; then
    echo "ok    $tool on $subject: $(head -c 110 "$dir.txt" | tr '\n' ' ')"
  else
    echo "FAIL  $tool on $subject: $(grep -v 'npm warn' "$dir.err" | head -2)"
    failed=$((failed + 1))
  fi
done
echo "$failed failed"
exit $((failed > 0))
