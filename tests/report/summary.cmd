quoth-report --title 'Summary <test>' | sed -n '/<h1>/p;/<div class="cards">/p;/<svg/,/<\/svg>/p;/<div class="toc">/,/<\/tbody>/p'
