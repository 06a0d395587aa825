/*
 * smr_common.h - everything a scheme or a structure needs of the shared
 * pieces, in one include: smr_base.h (vocabulary), smr_node.h (node header,
 * counters, stats), smr_fence.h (StoreLoad barriers), smr_config.h
 * (configuration, scheme description), smr_checked.h (test hooks),
 * smr_records.h (thread records, orphans, the domain base), smr_scan.h
 * (hazard snapshots).
 *
 * Nothing here knows which scheme is compiled; schemes/smr.h maps the
 * generic smr_* names onto one scheme.
 */
#ifndef SMR_COMMON_H
#define SMR_COMMON_H

#include "smr_base.h"
#include "smr_node.h"
#include "smr_fence.h"
#include "smr_config.h"
#include "smr_checked.h"
#include "smr_records.h"
#include "smr_scan.h"

#endif /* SMR_COMMON_H */
