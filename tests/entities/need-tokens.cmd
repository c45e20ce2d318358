quoth-entities
