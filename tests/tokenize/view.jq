# One line per sentence, its tokens joined by single spaces.
if .error then "ERROR: " + .error.message
else .text as $t | .tokens as $k | .sentences[] as $s
  | [$k[] | select(.[0] >= $s[0] and .[1] <= $s[1]) | $t[.[0]:.[1]]] | join(" ")
end
