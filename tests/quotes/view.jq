# One line per quote: TYPE | SPEAKER WORDS => NAME (KIND) | CUE | MEDIUM | TEXT
if .error then "ERROR: " + .error.message
else .quotes[] | [.type,
  (if .speaker then "\(.speaker.text // "-") => \(.speaker.name) (\(.speaker.kind))" else "-" end),
  (.cue.text // "-"), (.medium.name // "-"), .text] | join(" | ")
end
