# Each mention as TEXT<TAB>TYPE<TAB>ENTITY NAME, then each entity with its
# gender and count.
if .error then "ERROR: " + .error.message
else . as $d
  | ($d.mentions[] | "\(.text)\t\(.type)\t\($d.entities[.entity].name)"),
    ($d.entities[] | "= \(.name)\t\(.type)\t\(.gender)\t\(.mentions)")
end
