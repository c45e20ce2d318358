/* entities.h - named entities of one document, resolved per document.
 *
 * The statistical tagger (ner.h) proposes names sentence by sentence; rules
 * from rules/entities/ then fix types and boundaries (gazetteers of outlets,
 * places, nationalities, events and the user's own names; titles and
 * possessives kept out of spans; works recognised by their cues; dates by
 * patterns), make the document consistent (once "Tom Cruise" is a person,
 * "Cruise" is too), and group mentions into entities with a full name and,
 * for people, a gender. */
#ifndef QUOTH_ENTITIES_H
#define QUOTH_ENTITIES_H

#include <stddef.h>
#include <stdint.h>

#include "quoth/rules.h"

/* The entity types, in the order of quoth_entity_type_names. */
enum {
	QUOTH_PERSON, QUOTH_ORG, QUOTH_GPE, QUOTH_LOC, QUOTH_NORP, QUOTH_WORK_OF_ART,
	QUOTH_EVENT, QUOTH_DATE, QUOTH_MISC, QUOTH_NTYPES
};
extern const char *const quoth_entity_type_names[QUOTH_NTYPES];

enum { QUOTH_GENDER_UNKNOWN = 0, QUOTH_GENDER_FEMALE, QUOTH_GENDER_MALE };

typedef struct quoth_mention {
	int64_t start, end;   /* code points into the text */
	size_t tok0, tok1;    /* token indices, half-open */
	size_t bstart, bend;  /* bytes into the text */
	int type;
	int entity;           /* index into the entities */
} quoth_mention;

typedef struct quoth_entity {
	char *name;           /* the fullest form in the document */
	int type;
	int gender;           /* QUOTH_GENDER_* (people only) */
	size_t mentions;
} quoth_entity;

typedef struct quoth_entity_result {
	quoth_mention *mentions;
	size_t nmentions, mcap;
	quoth_entity *entities;
	size_t nentities, ecap;
	size_t match_errors;  /* date patterns stopped by pcre2's match limit */
	struct quoth_entity_work *work; /* scratch kept between documents */
} quoth_entity_result;

#define QUOTH_ENTITY_RESULT_INIT { NULL, 0, 0, NULL, 0, 0, 0, NULL }

typedef struct quoth_entities quoth_entities;

/* Loads the tagger and every list in rules/entities (dies with file:line). */
quoth_entities *quoth_entities_new(const quoth_rules *r);
void quoth_entities_free(quoth_entities *e);

/* Finds the entities of valid UTF-8 text[0..len) given its tokens and
 * sentences (code-point spans as quoth-tokenize makes them, sorted; every
 * sentence on token boundaries). headline, when not NULL, is the headline
 * span. out is reset first and reusable. */
void quoth_entities_find(const quoth_entities *e, const char *text, size_t len,
                         const int64_t (*tokens)[2], size_t ntokens,
                         const int64_t (*sentences)[2], size_t nsentences, const int64_t *headline,
                         quoth_entity_result *out);
void quoth_entity_result_free(quoth_entity_result *r);

#endif
