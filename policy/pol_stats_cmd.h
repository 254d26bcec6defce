/* pol_stats_cmd.h: !statistiek and !gezondheid (issue 16): who may see
 * which figures. A stuurgroep member sees their own wijk (in the
 * stuurgroep room or the regiegroep); a delegate in the gemeentelijke
 * regiegroep sees every wijk, or one named. The daemon computes the
 * figures (POL_ACT_STATS). */
#ifndef POL_STATS_CMD_H
#define POL_STATS_CMD_H

#include "pol_engine.h"
#include "pol_roles.h"

/* Where !statistiek may be given: the stuurgroep room, the regiegroep,
 * the gemeentelijke regiegroep. */
#define POL_ROOMS_STATS (POL_ROOMS_STUUR | POL_ROOMS(POL_ROOM_REGIEGROEP) | POL_ROOMS(POL_ROOM_GEM_REGIEGROEP))

void pol_cmd_statistiek(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
			pol_actions *out, pol_action *a);
void pol_cmd_gezondheid(const pol_config *cfg, const pol_input *in, const pol_command *cmd, pol_role_set roles,
			pol_actions *out, pol_action *a);

#endif
