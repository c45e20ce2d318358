/* stages.h - the per-record side of the four text stages. Each constructor
 * returns a stage ready for quoth_stage_run, so the binaries, the unit
 * tests and the fuzz harnesses run the very same function. The rule set
 * must outlive the stage; free the stage with quoth_stage_free. */
#ifndef QUOTH_STAGES_H
#define QUOTH_STAGES_H

#include "quoth/rules.h"
#include "quoth/stage.h"

quoth_stage *quoth_normalize_stage_new(const quoth_rules *rules);
quoth_stage *quoth_tokenize_stage_new(const quoth_rules *rules);
quoth_stage *quoth_entities_stage_new(const quoth_rules *rules);
quoth_stage *quoth_quotes_stage_new(const quoth_rules *rules);

#endif
