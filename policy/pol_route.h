/* pol_route.h: where an approved message may go (DESIGN.md section 4):
 *
 *   from                      to                                       approver
 *   wijkgroep                 its wijk's regiegroep (default, "regie") a member of its stuurgroep
 *                             sibling wijkgroepen ("wijk", or a name)  the same
 *   stuurgroep room           its wijkgroepen (default, "wijk", name)  a member; casushouder there
 *   regiegroep                the approver's stuurgroep's wijkgroepen  a stuurgroep member of the
 *                             (default, "wijk", name)                  wijk; casushouder there
 *                             gemeentelijke regiegroep ("gemeente")    a delegate in both
 *   gemeentelijke regiegroep  a wijk's regiegroep (wijk id or name;    a delegate in both
 *                             default: the delegate's own wijk)
 *
 * Anything else is refused with the reason. Pure. */
#ifndef POL_ROUTE_H
#define POL_ROUTE_H

#include <stddef.h>
#include "pol_structure.h"
#include "pol_text.h"

#define POL_ROUTE_MAX 64

typedef struct pol_route {
	const char *targets[POL_ROUTE_MAX];   /* room keys of the structure */
	size_t n;
	int approver_is_casushouder;          /* into wijkgroepen from a stuurgroep or regiegroep */
} pol_route;

/* 0 and out filled, or the text id of the refusal (its argument, where it
 * takes one, is doel). doel: "" or NULL for the default route. */
int pol_route_find(const pol_structure *s, const char *origin_key, const char *doel, const char *approver,
		   pol_route *out, pol_text_id *why);

#endif
