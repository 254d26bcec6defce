/* pol_text.c: the text table. One row per text, one column per language,
 * so a missing translation is visible at a glance (and caught by a test). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "pol_text.h"

static const char *const texts[POL_TXT_COUNT][POL_LANG_COUNT] = {
	[POL_TXT_PONG] = {
		"pong: ik ben er.",
		"pong: I am here.",
	},
	[POL_TXT_HELP_HEADER] = {
		"Commando's van buurtbot:",
		"buurtbot commands:",
	},
	[POL_TXT_HELP_PING] = {
		"!ping: kijk of de bot werkt",
		"!ping: check that the bot is working",
	},
	[POL_TXT_HELP_HELP] = {
		"!help (of !hulp): deze lijst",
		"!help: this list",
	},
	[POL_TXT_UNKNOWN_COMMAND] = {
		"Het commando %s ken ik niet. Typ !help voor de lijst.",
		"I don't know the command %s. Type !help for the list.",
	},
	[POL_TXT_HELP_LID] = {
		"!lid toevoegen @gebruiker <wijkgroep, buurt of postcode>: zet een bewoner in een wijkgroep; is die vol, dan op de wachtlijst (telefoonbeheerder)",
		"!member add @user <wijkgroep, buurt or postcode>: put a resident in a wijkgroep; when it is full, on the waiting list (telefoonbeheerder)",
	},
	[POL_TXT_HELP_ROYEER] = {
		"!royeer @gebruiker [reden]: haal iemand uit alle groepen en houd hem buiten (telefoonbeheerder)",
		"!remove @user [reason]: take someone out of every group and keep them out (telefoonbeheerder)",
	},
	[POL_TXT_HELP_WIJKGROEP] = {
		"!wijkgroep nieuw <naam>[: buurt, buurt]: maak een wijkgroep, na akkoord van een tweede stuurgroeplid (telefoonbeheerder)",
		"!group new <name>[: buurt, buurt]: create a wijkgroep once a second stuurgroep member agrees (telefoonbeheerder)",
	},
	[POL_TXT_HELP_BEVESTIG] = {
		"!bevestig [nummer]: ga akkoord met het voorstel van een ander stuurgroeplid (stuurgroep)",
		"!confirm [number]: agree to another stuurgroep member's proposal (stuurgroep)",
	},
	[POL_TXT_HELP_LEDEN] = {
		"!leden [wijkgroep]: de leden van een wijkgroep (stuurgroep)",
		"!members [wijkgroep]: the members of a wijkgroep (stuurgroep)",
	},
	[POL_TXT_HELP_WACHTLIJST] = {
		"!wachtlijst [wijkgroep]: wie op een plek in een volle wijkgroep wacht (stuurgroep)",
		"!waitlist [wijkgroep]: who is waiting for a place in a full wijkgroep (stuurgroep)",
	},
	[POL_TXT_HELP_STRUCTUUR] = {
		"!structuur: alle groepen, met aantal leden en limiet (stuurgroep)",
		"!structure: every group, with member count and cap (stuurgroep)",
	},
	[POL_TXT_HELP_SPLITS] = {
		"!splits <wijkgroep>: verdeel een wijkgroep naar buurt, na akkoord van een tweede stuurgroeplid (telefoonbeheerder)",
		"!split <wijkgroep>: split a wijkgroep by buurt once a second stuurgroep member agrees (telefoonbeheerder)",
	},
	[POL_TXT_HELP_HERLAAD] = {
		"!herlaad: lees het structuurbestand opnieuw (operator, privégesprek)",
		"!reload: read the structure file again (operator, direct chat)",
	},
	[POL_TXT_HELP_STATUS] = {
		"!status: hoe de bot ervoor staat (operator, privégesprek)",
		"!status: how the bot is doing (operator, direct chat)",
	},
	[POL_TXT_HELP_AANMELDEN] = {
		"!aanmelden: meld je aan als bewoner (privégesprek met de bot)",
		"!signup: sign up as a resident (direct chat with the bot)",
	},
	[POL_TXT_HELP_STOP] = {
		"!stop: stop je aanmelding en wis wat je al gaf",
		"!stop: stop signing up and delete what you gave so far",
	},
	[POL_TXT_HELP_SPELREGELS] = {
		"!spelregels: de spelregels van je wijk",
		"!rules: the spelregels (house rules) of your wijk",
	},
	[POL_TXT_HELP_TOELATEN] = {
		"!toelaten <nr>: laat een aanmelding toe (telefoonbeheerder)",
		"!admit <nr>: admit an application (telefoonbeheerder)",
	},
	[POL_TXT_HELP_AFWIJZEN] = {
		"!afwijzen <nr> [reden]: wijs een aanmelding af (telefoonbeheerder)",
		"!reject <nr> [reason]: reject an application (telefoonbeheerder)",
	},
	[POL_TXT_HELP_MIJNGEGEVENS] = {
		"!mijngegevens: alles wat de bot over jou bewaart (privégesprek)",
		"!mydata: everything the bot keeps about you (direct chat)",
	},
	[POL_TXT_HELP_VERGEETMIJ] = {
		"!vergeetmij: haal jezelf uit alle groepen en wis je gegevens (privégesprek)",
		"!forgetme: leave every group and delete your data (direct chat)",
	},
	[POL_TXT_HELP_DOOR] = {
		"!door [doel]: stuur het bericht waarop je antwoordt door (stuurgroep)",
		"!forward [target]: forward the message you reply to (stuurgroep)",
	},
	[POL_TXT_HELP_AFLOOP] = {
		"!afloop [#nr] <tekst>: sluit een casus af met een afloopbericht (casushouder of stuurgroep)",
		"!outcome [#nr] <text>: close a casus with how it ended (casushouder or stuurgroep)",
	},
	[POL_TXT_HELP_CASUS] = {
		"!casus [#nr]: een casus, of alle open casussen (stuurgroep)",
		"!case [#nr]: one casus, or all open ones (stuurgroep)",
	},
	[POL_TXT_HELP_KOPPEL] = {
		"!koppel #nr: koppel deze melding aan een eerdere casus (casushouder of stuurgroep)",
		"!link #nr: link this melding to an earlier casus (casushouder or stuurgroep)",
	},
	[POL_TXT_HELP_AANSPREKEN] = {
		"!aanspreken @gebruiker [tekst]: herinner een bewoner aan de spelregels (stuurgroep)",
		"!remind @user [text]: remind a resident of the spelregels (stuurgroep)",
	},
	[POL_TXT_REFUSED_STUURGROEPLID] = {
		"Dat mag alleen een lid van de stuurgroep die deze groep beheert.",
		"Only a member of the stuurgroep that manages this group may do that.",
	},
	[POL_TXT_REFUSED_TELEFOONBEHEERDER] = {
		"Dat mag alleen de telefoonbeheerder van de stuurgroep.",
		"Only the stuurgroep's telefoonbeheerder may do that.",
	},
	[POL_TXT_REFUSED_OPERATOR] = {
		"Dat mag alleen de beheerder (operator) van de bot.",
		"Only the bot's operator may do that.",
	},
	[POL_TXT_REFUSED_CASUSHOUDER] = {
		"Dat mag alleen de casushouder of een lid van de stuurgroep.",
		"Only the casushouder or a stuurgroep member may do that.",
	},
	[POL_TXT_REFUSED_BEWONER] = {
		"Dat kan alleen een bewoner die lid is van een wijkgroep.",
		"Only a resident who is a member of a wijkgroep can do that.",
	},
	[POL_TXT_REFUSED_POLITIE] = {
		"Dat mag alleen de politie.",
		"Only the police may do that.",
	},
	[POL_TXT_REFUSED_ONLY_DM] = {
		"Dit commando werkt alleen in een privégesprek met de bot.",
		"This command only works in a direct chat with the bot.",
	},
	[POL_TXT_REFUSED_ONLY_STUURGROEP] = {
		"Dit commando werkt alleen in de kamer van je stuurgroep.",
		"This command only works in your stuurgroep's room.",
	},
	[POL_TXT_REFUSED_ONLY_STUURGROEP_OR_DM] = {
		"Dit commando werkt alleen in de kamer van je stuurgroep of in een privégesprek met de bot.",
		"This command only works in your stuurgroep's room or in a direct chat with the bot.",
	},
	[POL_TXT_REFUSED_ONLY_BEHEER] = {
		"Dit commando werkt niet in een wijkgroep: gebruik het in je stuurgroep, de regiegroep of een privégesprek met de bot.",
		"This command does not work in a wijkgroep: use it in your stuurgroep, the regiegroep or a direct chat with the bot.",
	},
	[POL_TXT_REFUSED_ONLY_GROUP] = {
		"Dit commando werkt alleen in de groep waar de casus loopt.",
		"This command only works in the group where the casus is.",
	},
	[POL_TXT_REFUSED_ONLY_WIJKGROEP_OR_DM] = {
		"Dit commando werkt in je wijkgroep of in een privégesprek met de bot.",
		"This command works in your wijkgroep or in a direct chat with the bot.",
	},
	[POL_TXT_REFUSED_NOT_HERE] = {
		"Dit commando werkt niet in deze kamer.",
		"This command does not work in this room.",
	},
	[POL_TXT_REFUSED_NOT_YOUR_WIJKGROEP] = {
		"Die wijkgroep valt niet onder jouw stuurgroep.",
		"That wijkgroep is not managed by your stuurgroep.",
	},
	[POL_TXT_NOT_YET] = {
		"%s kan ik nog niet: dat komt in een volgende versie.",
		"I can't do %s yet: it comes in a later version.",
	},
	[POL_TXT_RELOADING] = {
		"Ik lees het structuurbestand opnieuw in. Lukt dat niet, dan blijft de oude structuur gelden; zie het log.",
		"Reloading the structure file. If it has problems the old structure stays; see the log.",
	},
	[POL_TXT_NO_STRUCTURE] = {
		"Er is geen structuurbestand ingesteld (structure_file).",
		"No structure file is configured (structure_file).",
	},
	[POL_TXT_WHICH_WIJKGROEP] = {
		"Welke wijkgroep? Typ bijvoorbeeld: !leden <wijkgroep>. Keuze: %s",
		"Which wijkgroep? Type for example: !members <wijkgroep>. Choose from: %s",
	},
	[POL_TXT_NO_SUCH_WIJKGROEP] = {
		"Een wijkgroep \"%s\" ken ik niet. Typ !structuur voor de namen.",
		"I don't know a wijkgroep \"%s\". Type !structure for the names.",
	},
	[POL_TXT_MEMBERS_HEADER] = {
		"%s: %ld van %u leden (%ld uitgenodigd)",
		"%s: %ld of %u members (%ld invited)",
	},
	[POL_TXT_LID_USAGE] = {
		"Zo gaat het: !lid toevoegen @gebruiker:server <wijkgroep>",
		"Like this: !member add @user:server <wijkgroep>",
	},
	[POL_TXT_LID_BAD_USER] = {
		"\"%s\" is geen Matrix-account. Een account ziet eruit als @naam:server.",
		"\"%s\" is not a Matrix account. An account looks like @name:server.",
	},
	[POL_TXT_LID_ALREADY] = {
		"%s is al lid van (of uitgenodigd in) %s. Een bewoner zit in één wijkgroep.",
		"%s is already in (or invited to) %s. A resident is in one wijkgroep.",
	},
	[POL_TXT_LID_FULL] = {
		"%s is vol (%u leden). Er kan niemand meer bij; denk aan fase 2 (!splits).",
		"%s is full (%u members). Nobody more can join; consider fase 2 (!split).",
	},
	[POL_TXT_LID_INVITED] = {
		"%s is uitgenodigd in %s.",
		"%s has been invited to %s.",
	},
	[POL_TXT_ROYEER_USAGE] = {
		"Zo gaat het: !royeer @gebruiker:server [reden]",
		"Like this: !remove @user:server [reason]",
	},
	[POL_TXT_ROYEER_PROTECTED] = {
		"%s staat in het structuurbestand (stuurgroep, politie of beheer). Haal die persoon daar weg; royeren is voor bewoners.",
		"%s is in the structure file (stuurgroep, police or operator). Remove them there; removal is for residents.",
	},
	[POL_TXT_ROYEER_NOT_YOURS] = {
		"%s zit niet in een wijkgroep van jouw stuurgroep.",
		"%s is not in a wijkgroep of your stuurgroep.",
	},
	[POL_TXT_ROYEER_DONE] = {
		"%s is geroyeerd: uit alle groepen gehaald en kan er niet meer in.",
		"%s has been removed from every group and cannot come back.",
	},
	[POL_TXT_STATUS] = {
		"buurtbot %s\nStructuur: %zu kamers in %zu wijk(en)\nUitgaande berichten: %lld in de wachtrij, %lld mislukt\nOnleesbare versleutelde berichten: %lu",
		"buurtbot %s\nStructure: %zu rooms in %zu district(s)\nOutgoing: %lld queued, %lld failed\nUnreadable encrypted messages: %lu",
	},
	[POL_TXT_LID_WAITLISTED] = {
		"%s is vol (%u leden). Ik heb %s op de wachtlijst gezet (plaats %ld); !wachtlijst toont de lijst.",
		"%s is full (%u members). I put %s on the waiting list (place %ld); !waitlist shows the list.",
	},
	[POL_TXT_LID_RETIRED] = {
		"%s is opgeheven na een splitsing; kies de nieuwe groep van de buurt (!structuur toont ze).",
		"%s was retired after a split; choose the new group of the buurt (!structure shows them).",
	},
	[POL_TXT_KNOCK_NOTICE] = {
		"%s klopt aan bij %s (%ld van %u plaatsen bezet). Ik vraag in een privégesprek om de aanmelding; die zien jullie hier zodra die af is. Direct toelaten kan ook: !lid toevoegen %s %s",
		"%s knocks on %s (%ld of %u places taken). I am asking for the sign-up in a direct chat; you will see it here once it is complete. To admit at once: !member add %s %s",
	},
	[POL_TXT_KNOCK_FULL_REASON] = {
		"%s is vol. Je staat op de wachtlijst (plaats %ld); de stuurgroep laat het je weten zodra er plek is.",
		"%s is full. You are on the waiting list (place %ld); the stuurgroep will let you know when there is room.",
	},
	[POL_TXT_KNOCK_FULL_NOTICE] = {
		"%s klopte aan bij %s, maar die is vol (%u). Op de wachtlijst gezet: plaats %ld. !wachtlijst toont de lijst.",
		"%s knocked on %s, but it is full (%u). Put on the waiting list: place %ld. !waitlist shows the list.",
	},
	[POL_TXT_KNOCK_ELSEWHERE_REASON] = {
		"Je bent al lid van %s; je kunt in één wijkgroep tegelijk. Verhuisd? Vraag het je stuurgroep.",
		"You are already a member of %s; one wijkgroep at a time. Moved house? Ask your stuurgroep.",
	},
	[POL_TXT_KNOCK_RETIRED_REASON] = {
		"Deze groep is opgeheven. Klop aan bij de groep van je buurt: %s.",
		"This group was retired. Knock on the group of your buurt: %s.",
	},
	[POL_TXT_OVERCAP_REASON] = {
		"%s heeft meer leden dan het maximum van %u. Als laatste erbij moest jij eruit; je staat op de wachtlijst (plaats %ld) en de stuurgroep laat het je weten zodra er plek is.",
		"%s has more members than its maximum of %u. As the last to arrive you had to leave; you are on the waiting list (place %ld) and the stuurgroep will let you know when there is room.",
	},
	[POL_TXT_OVERCAP_NOTICE] = {
		"%s zat boven het maximum van %u leden. Ik heb de laatst gekomene, %s, verwijderd en op de wachtlijst gezet (plaats %ld).",
		"%s was over its maximum of %u members. I removed the last to arrive, %s, and put them on the waiting list (place %ld).",
	},
	[POL_TXT_FREED_NOTICE] = {
		"Er is plek in %s (%ld van %u). Eerste op de wachtlijst: %s. Toelaten: !lid toevoegen %s %s",
		"There is room in %s (%ld of %u). First on the waiting list: %s. To admit: !member add %s %s",
	},
	[POL_TXT_GROWTH_NOTICE] = {
		"%s heeft nu %ld leden: meer dan de groeidrempel van %u (maximum %u). Tijd om over fase 2 te praten: een wijkgroep per buurt.\nLeden per buurt:\n%s\nVoorstel:\n%s\nNa overleg: !splits %s (telefoonbeheerder); een tweede stuurgroeplid bevestigt.",
		"%s now has %ld members: more than its growth threshold of %u (maximum %u). Time to talk about fase 2: a wijkgroep per buurt.\nMembers per buurt:\n%s\nProposal:\n%s\nAfter talking it over: !split %s (telefoonbeheerder); a second stuurgroep member confirms.",
	},
	[POL_TXT_SPLIT_GROUP_LINE] = {
		"- %s: %zu leden (%s)",
		"- %s: %zu members (%s)",
	},
	[POL_TXT_SPLIT_UNPLACED] = {
		"%zu leden zonder bekende buurt blijven in de oude groep; zet ze over met !lid toevoegen.",
		"%zu members without a known buurt stay in the old group; move them with !member add.",
	},
	[POL_TXT_BUURT_UNKNOWN] = {
		"buurt onbekend",
		"buurt unknown",
	},
	[POL_TXT_PROPOSAL_SPLIT] = {
		"Voorstel %lld: %s splitsen in\n%s\nEen ander stuurgroeplid bevestigt met: !bevestig %lld (24 uur geldig).",
		"Proposal %lld: split %s into\n%s\nAnother stuurgroep member confirms with: !confirm %lld (valid for 24 hours).",
	},
	[POL_TXT_PROPOSAL_NEW] = {
		"Voorstel %lld: nieuwe wijkgroep %s (buurten: %s). Een ander stuurgroeplid bevestigt met: !bevestig %lld (24 uur geldig).",
		"Proposal %lld: new wijkgroep %s (buurten: %s). Another stuurgroep member confirms with: !confirm %lld (valid for 24 hours).",
	},
	[POL_TXT_BEVESTIG_NONE] = {
		"Er staat hier geen voorstel open.",
		"There is no open proposal here.",
	},
	[POL_TXT_BEVESTIG_SELF] = {
		"Je kunt je eigen voorstel niet bevestigen; een ander stuurgroeplid moet akkoord geven.",
		"You cannot confirm your own proposal; another stuurgroep member has to agree.",
	},
	[POL_TXT_BEVESTIG_EXPIRED] = {
		"Voorstel %lld is verlopen (ouder dan 24 uur). Doe het voorstel opnieuw.",
		"Proposal %lld has expired (older than 24 hours). Make the proposal again.",
	},
	[POL_TXT_BEVESTIG_CLOSED] = {
		"Voorstel %lld is al afgehandeld.",
		"Proposal %lld has already been dealt with.",
	},
	[POL_TXT_BEVESTIG_OTHER_ROOM] = {
		"Voorstel %lld hoort bij een andere stuurgroep; bevestig het in de kamer waar het gedaan is.",
		"Proposal %lld belongs to another stuurgroep; confirm it in the room where it was made.",
	},
	[POL_TXT_BEVESTIG_USAGE] = {
		"Gebruik: !bevestig [nummer]",
		"Usage: !confirm [number]",
	},
	[POL_TXT_BEVESTIG_DONE] = {
		"Voorstel %lld bevestigd door %s. Ik voer het nu uit en meld het hier als het klaar is.",
		"Proposal %lld confirmed by %s. I am carrying it out and will report here when it is done.",
	},
	[POL_TXT_PROPOSAL_FAILED] = {
		"Voorstel %lld kan ik niet uitvoeren: %s",
		"I cannot carry out proposal %lld: %s",
	},
	[POL_TXT_SPLIT_DONE] = {
		"Splitsing van %s klaar. Nieuwe groepen: %s. %zu leden uitgenodigd in de groep van hun buurt.",
		"Split of %s done. New groups: %s. %zu members invited into the group of their buurt.",
	},
	[POL_TXT_NEW_WG_DONE] = {
		"De nieuwe wijkgroep %s is aangemaakt. Zet bewoners erin met !lid toevoegen.",
		"The new wijkgroep %s has been created. Add residents with !member add.",
	},
	[POL_TXT_RETIRED_POINTER] = {
		"Deze wijkgroep is opgesplitst per buurt. Je bent uitgenodigd in de groep van jouw buurt: %s. Geen uitnodiging gekregen? Vraag het de stuurgroep. Hier kan niemand meer berichten plaatsen.",
		"This wijkgroep has been split by buurt. You have been invited into the group of your buurt: %s. No invitation? Ask the stuurgroep. Nobody can post here any more.",
	},
	[POL_TXT_RETIRED_TOPIC] = {
		"Opgeheven; verder in: %s",
		"Retired; continued in: %s",
	},
	[POL_TXT_SPLITS_NOTHING] = {
		"%s valt niet te splitsen: de leden wonen (voor zover bekend) in één buurt, of er zijn geen buurten bekend.",
		"%s cannot be split: its members live (as far as known) in one buurt, or no buurten are known.",
	},
	[POL_TXT_WG_NEW_USAGE] = {
		"Gebruik: !wijkgroep nieuw <naam>: <buurt>, <buurt>, ... (bijvoorbeeld: !wijkgroep nieuw Beekpark: Beekpark, 4615)",
		"Usage: !group new <name>: <buurt>, <buurt>, ... (for example: !group new Beekpark: Beekpark, 4615)",
	},
	[POL_TXT_WG_NEW_EXISTS] = {
		"Er is al een wijkgroep %s.",
		"There already is a wijkgroep %s.",
	},
	[POL_TXT_WG_NEW_BUURT_TAKEN] = {
		"Buurt %s hoort al bij %s; een buurt hoort bij één wijkgroep.",
		"Buurt %s already belongs to %s; a buurt belongs to one wijkgroep.",
	},
	[POL_TXT_WG_NEW_BAD_NAME] = {
		"Die naam kan ik niet gebruiken: 2 tot 100 tekens, met letters of cijfers.",
		"I cannot use that name: 2 to 100 characters, with letters or digits.",
	},
	[POL_TXT_WAITLIST_HEADER] = {
		"Wachtlijst %s (%zu):",
		"Waiting list %s (%zu):",
	},
	[POL_TXT_WAITLIST_LINE] = {
		"%ld. %s, sinds %s (%s)",
		"%ld. %s, since %s (%s)",
	},
	[POL_TXT_WAITLIST_EMPTY] = {
		"De wachtlijst van %s is leeg.",
		"The waiting list of %s is empty.",
	},
	[POL_TXT_WAITLIST_SRC_KNOCK] = {
		"aangeklopt",
		"knocked",
	},
	[POL_TXT_WAITLIST_SRC_LID] = {
		"aangemeld door de stuurgroep",
		"added by the stuurgroep",
	},
	[POL_TXT_WAITLIST_SRC_LIMIET] = {
		"boven het maximum",
		"over the maximum",
	},
	[POL_TXT_APP_UNKNOWN] = {
		"Aanmelding %lld ken ik niet. De aanmeldingen staan hierboven, met hun nummer.",
		"I don't know application %lld. The applications are above, with their numbers.",
	},
	[POL_TXT_APP_DONE_ALREADY] = {
		"Aanmelding %lld is al afgehandeld.",
		"Application %lld has already been dealt with.",
	},
	[POL_TXT_APP_USAGE_TOELATEN] = {
		"Gebruik: !toelaten <nummer van de aanmelding>",
		"Usage: !admit <application number>",
	},
	[POL_TXT_APP_USAGE_AFWIJZEN] = {
		"Gebruik: !afwijzen <nummer van de aanmelding> [reden]",
		"Usage: !reject <application number> [reason]",
	},
	[POL_TXT_APP_ADMITTED] = {
		"Aanmelding %lld toegelaten: uitgenodigd in %s.",
		"Application %lld admitted: invited into %s.",
	},
	[POL_TXT_APP_ADMITTED_DM] = {
		"Welkom! De stuurgroep heeft je toegelaten tot %s. Je hebt een uitnodiging gekregen: accepteer die om mee te doen. Lees daar eerst de spelregels (!spelregels).",
		"Welcome! The stuurgroep has admitted you to %s. You have been sent an invitation: accept it to take part. Read the spelregels there first (!spelregels).",
	},
	[POL_TXT_APP_WAITING] = {
		"Aanmelding %lld: %s is vol; op de wachtlijst gezet (plaats %ld). De aanmelder hoort het van mij.",
		"Application %lld: %s is full; put on the waiting list (place %ld). I have told the applicant.",
	},
	[POL_TXT_APP_WAITING_DM] = {
		"De stuurgroep wil je toelaten, maar %s is op dit moment vol. Je staat op de wachtlijst (plaats %ld); je hoort het zodra er plek is.",
		"The stuurgroep would like to admit you, but %s is full at the moment. You are on the waiting list (place %ld); you will hear as soon as there is room.",
	},
	[POL_TXT_APP_REJECTED] = {
		"Aanmelding %lld afgewezen; de aanmelder hoort het van mij.",
		"Application %lld rejected; I have told the applicant.",
	},
	[POL_TXT_APP_REJECTED_DM] = {
		"Je aanmelding is niet toegelaten door de stuurgroep.%s Vragen? Neem contact op met de stuurgroep van je wijk.",
		"Your application was not admitted by the stuurgroep.%s Questions? Contact the stuurgroep of your wijk.",
	},
	[POL_TXT_APP_REASON] = {
		" Reden: %s.",
		" Reason: %s.",
	},
	[POL_TXT_APP_NOTICE] = {
		"Nieuwe aanmelding %lld voor %s:\n%s\nToelaten: !toelaten %lld  Afwijzen: !afwijzen %lld [reden]",
		"New application %lld for %s:\n%s\nAdmit: !admit %lld  Reject: !reject %lld [reason]",
	},
	[POL_TXT_APP_REMINDER] = {
		"Aanmelding %lld voor %s wacht al meer dan %ld uur op een besluit. Toelaten: !toelaten %lld  Afwijzen: !afwijzen %lld [reden]",
		"Application %lld for %s has been waiting for a decision for more than %ld hours. Admit: !admit %lld  Reject: !reject %lld [reason]",
	},
	[POL_TXT_APP_SENT_DM] = {
		"Dank je! Je aanmelding ligt nu bij de stuurgroep van %s. Je hoort hier van mij zodra zij besloten hebben.",
		"Thank you! Your application is now with the stuurgroep of %s. You will hear from me here once they have decided.",
	},
	[POL_TXT_APP_PENDING_DM] = {
		"Je aanmelding ligt bij de stuurgroep; je hoort het hier zodra zij besloten hebben. !mijngegevens laat zien wat ik van je heb, !vergeetmij wist het.",
		"Your application is with the stuurgroep; you will hear here once they have decided. !mydata shows what I keep about you, !forgetme deletes it.",
	},
	[POL_TXT_ALREADY_RESIDENT_DM] = {
		"Je bent lid van %s. Hier kun je !spelregels, !mijngegevens en !vergeetmij gebruiken.",
		"You are a member of %s. Here you can use !rules, !mydata and !forgetme.",
	},
	[POL_TXT_WELCOME] = {
		"Welkom %s! Fijn dat je meedoet. Lees eerst de spelregels: typ !spelregels.",
		"Welcome %s! Glad you are taking part. Please read the spelregels first: type !rules.",
	},
	[POL_TXT_FORGET_ASK] = {
		"Hiermee haal ik je uit alle groepen van de buurtpreventie en wis ik alles wat ik van je weet. Zeker weten? Typ dan: !vergeetmij ja",
		"This takes you out of every group of the neighbourhood watch and deletes everything I know about you. Sure? Then type: !forgetme yes",
	},
	[POL_TXT_FORGET_DONE] = {
		"Gedaan: je bent uit alle groepen gehaald en je gegevens zijn gewist. Alleen anonieme aantallen blijven over. Je kunt je later altijd opnieuw aanmelden.",
		"Done: you have been taken out of every group and your data has been deleted. Only anonymous counts remain. You can always sign up again later.",
	},
	[POL_TXT_FORGET_STRUCTURE] = {
		"Je staat in het structuurbestand (stuurgroep, politie of beheer); vraag de beheerder je daaruit te halen.",
		"You are named in the structure file (stuurgroep, police or operator); ask the operator to take you out.",
	},
	[POL_TXT_MYDATA_NOTHING] = {
		"Ik heb geen persoonlijke gegevens van je opgeslagen.",
		"I keep no personal data about you.",
	},
	[POL_TXT_MYDATA_HEADER] = {
		"Dit is alles wat ik van je heb opgeslagen:",
		"This is everything I keep about you:",
	},
	[POL_TXT_MYDATA_RESIDENT] = {
		"Lid van %s (buurt: %s) sinds %s, toegelaten door %s; spelregels geaccepteerd: %s",
		"Member of %s (buurt: %s) since %s, admitted by %s; spelregels accepted: %s",
	},
	[POL_TXT_MYDATA_APPLICATION] = {
		"Aanmelding %lld (%s), van %s",
		"Application %lld (%s), of %s",
	},
	[POL_TXT_MYDATA_INTAKE] = {
		"Een aanmelding die je nog niet af hebt:",
		"A sign-up you have not finished:",
	},
	[POL_TXT_MYDATA_FOOTER] = {
		"Alleen de stuurgroep van je eigen wijkgroep ziet je naam en telefoonnummer. !vergeetmij wist alles.",
		"Only the stuurgroep of your own wijkgroep sees your name and phone number. !forgetme deletes everything.",
	},
	[POL_TXT_SPELREGELS_HEADER] = {
		"Spelregels van %s:",
		"Spelregels of %s:",
	},
	[POL_TXT_SPELREGELS_CHANGED_DM] = {
		"De spelregels van %s zijn gewijzigd. Lees ze hieronder en antwoord met \"akkoord\" als je ermee instemt; je blijft intussen gewoon lid.\n\n%s",
		"The spelregels of %s have changed. Read them below and answer \"akkoord\" if you agree; you stay a member meanwhile.\n\n%s",
	},
	[POL_TXT_SPELREGELS_ACCEPTED] = {
		"Dank je, je akkoord met de nieuwe spelregels is genoteerd.",
		"Thank you, your agreement with the new spelregels has been noted.",
	},
	[POL_TXT_NOT_DURING_SIGNUP] = {
		"Dat kan hier niet. Wil je je aanmelden? Typ !aanmelden.",
		"That is not possible here. Want to sign up? Type !aanmelden.",
	},
	[POL_TXT_INTAKE_INTRO] = {
		"Hallo! Ik ben de buurtbot van de buurtpreventie. Met een paar vragen meld ik je aan; wat je invult ziet alleen de stuurgroep van je eigen wijkgroep. Stoppen kan altijd met !stop.",
		"Hello! I am the buurtbot of the neighbourhood watch. A few questions sign you up; what you fill in is seen only by the stuurgroep of your own wijkgroep. You can stop at any time with !stop.",
	},
	[POL_TXT_INTAKE_Q_NAME] = {
		"Wat is je naam?",
		"What is your name?",
	},
	[POL_TXT_INTAKE_BAD_NAME] = {
		"Geef je naam: 2 tot 100 tekens, op één regel.",
		"Give your name: 2 to 100 characters, on one line.",
	},
	[POL_TXT_INTAKE_NO_LETTERS] = {
		"Ik zie geen letters in je naam. Onzichtbare tekens en richtingstekens tellen niet mee: typ je naam in gewone letters (elk alfabet is goed).",
		"I see no letters in your name. Invisible characters and direction marks do not count: please type your name in letters (any alphabet is fine).",
	},
	[POL_TXT_INTAKE_BAD_UTF8] = {
		"Dit antwoord bevat tekens die ik niet kan lezen (geen geldige UTF-8). Typ het nog eens.",
		"This answer contains characters I cannot read (not valid UTF-8). Please type it again.",
	},
	[POL_TXT_INTAKE_BAD_CHARS] = {
		"Dit antwoord bevat stuurtekens die de leesrichting omdraaien of de tekst onleesbaar maken. Typ het nog eens, zonder die tekens.",
		"This answer contains control characters that reverse the reading direction or garble the text. Please type it again without them.",
	},
	[POL_TXT_INTAKE_Q_ADDRESS] = {
		"Wat is je postcode (bijvoorbeeld 4611 AB)? De naam van je buurt mag ook.",
		"What is your postcode (for example 4611 AB)? The name of your buurt is fine too.",
	},
	[POL_TXT_INTAKE_FOUND] = {
		"Dat is buurt %s, wijkgroep %s.",
		"That is buurt %s, wijkgroep %s.",
	},
	[POL_TXT_INTAKE_NOT_FOUND] = {
		"Die postcode of buurt hoort niet bij deze buurtpreventie. Kies je buurt met het nummer of de naam:\n%s\nStaat je buurt er niet bij? Dan kun je hier (nog) niet meedoen; typ !stop.",
		"That postcode or buurt is not part of this neighbourhood watch. Choose your buurt by number or name:\n%s\nIs your buurt not listed? Then you cannot join here (yet); type !stop.",
	},
	[POL_TXT_INTAKE_AMBIGUOUS] = {
		"Die postcode valt onder meer dan één wijkgroep. Geef je volledige postcode (4 cijfers en 2 letters), of kies je buurt met het nummer:\n%s",
		"That postcode belongs to more than one wijkgroep. Give your full postcode (4 digits and 2 letters), or choose your buurt by number:\n%s",
	},
	[POL_TXT_INTAKE_Q_PHONE] = {
		"Wil je een telefoonnummer geven voor de stuurgroep (alleen zij zien het)? Typ het nummer, of nee.",
		"Would you like to give a phone number for the stuurgroep (only they see it)? Type the number, or no.",
	},
	[POL_TXT_INTAKE_BAD_PHONE] = {
		"Dat lijkt geen telefoonnummer (10 tot 15 cijfers). Typ het nummer, of nee.",
		"That does not look like a phone number (10 to 15 digits). Type the number, or no.",
	},
	[POL_TXT_INTAKE_Q_ADULT] = {
		"Ben je 18 jaar of ouder en woon je in %s? (ja/nee)",
		"Are you 18 or older and do you live in %s? (yes/no)",
	},
	[POL_TXT_INTAKE_YESNO] = {
		"Antwoord met ja of nee.",
		"Answer yes or no.",
	},
	[POL_TXT_INTAKE_ADULT_NO] = {
		"Dan kan ik je helaas niet aanmelden: de buurtpreventie is voor volwassen bewoners van de wijk. Ik heb gewist wat je me gaf.",
		"Then I cannot sign you up, sorry: the neighbourhood watch is for adult residents of the wijk. I have deleted what you gave me.",
	},
	[POL_TXT_INTAKE_Q_AKKOORD] = {
		"Dit zijn de spelregels van %s:\n\n%s\n\nGa je ermee akkoord? Typ dan: akkoord",
		"These are the spelregels of %s:\n\n%s\n\nDo you agree? Then type: akkoord",
	},
	[POL_TXT_INTAKE_NEED_AKKOORD] = {
		"Typ akkoord als je met de spelregels instemt, of !stop om te stoppen.",
		"Type akkoord if you agree with the spelregels, or !stop to stop.",
	},
	[POL_TXT_INTAKE_TOO_LONG] = {
		"Dat antwoord is te lang (hooguit %u tekens).",
		"That answer is too long (at most %u characters).",
	},
	[POL_TXT_INTAKE_ABANDONED] = {
		"Gestopt. Wat je me gaf heb ik gewist. Opnieuw beginnen kan altijd met !aanmelden.",
		"Stopped. I have deleted what you gave me. You can always start again with !aanmelden.",
	},
	[POL_TXT_INTAKE_RESUME] = {
		"Welkom terug! We gaan verder waar we gebleven waren.",
		"Welcome back! Let's continue where we left off.",
	},
	[POL_TXT_INTAKE_SUMMARY_SG] = {
		"Naam: %s\nBuurt: %s\nTelefoon: %s\n18+ en woont in de wijk: ja\nSpelregels geaccepteerd: versie %s",
		"Name: %s\nBuurt: %s\nPhone: %s\n18+ and lives in the wijk: yes\nSpelregels accepted: version %s",
	},
	[POL_TXT_INTAKE_SUMMARY_OWN] = {
		"Naam: %s\nPostcode of buurt zoals gegeven: %s\nBuurt: %s\nTelefoon: %s\n18+ en woont in de wijk: %s\nSpelregels geaccepteerd: %s",
		"Name: %s\nPostcode or buurt as given: %s\nBuurt: %s\nPhone: %s\n18+ and lives in the wijk: %s\nSpelregels accepted: %s",
	},
	[POL_TXT_NONE_GIVEN] = {
		"niet gegeven",
		"not given",
	},
	[POL_TXT_YES] = {
		"ja",
		"yes",
	},
	[POL_TXT_NO] = {
		"nee",
		"no",
	},
	[POL_TXT_SPELREGELS_DEFAULT] = {
		"1. SAAR: Signaleer een verdachte situatie, Alarmeer eerst 112, App dan in de groep en zeg daarbij dat je 112 hebt gebeld, en Reageer op vragen.\n2. Niet urgent? Bel de politie op 0900-8844.\n3. Beschrijf mensen naar kleding, postuur, voertuig en gedrag, niet naar afkomst of huidskleur.\n4. Geen gezellige praat, bedankjes of duimpjes als bericht: reageer met een emoji op het bericht.\n5. Foto's van verdachten alleen als ze de beschrijving helpen, en stuur ze nooit door buiten deze groepen.\n6. Blijf veilig: grijp nooit zelf in en ga niemand achterna.\n7. Meld de afloop als het voorbij is.\n8. Wie de spelregels breekt, kan uit de groep worden gezet.",
		"1. SAAR: Spot a suspicious situation, Alert 112 first, then App in the group and say that you called 112, and Respond to questions.\n2. Not urgent? Call the police on 0900-8844.\n3. Describe people by clothing, build, vehicle and behaviour, not by origin or skin colour.\n4. No chatter, thank-yous or thumbs as messages: react to the message with an emoji instead.\n5. Photos of suspects only when they help the description, and never forward them outside these groups.\n6. Stay safe: never intervene yourself and do not follow anyone.\n7. Post the outcome (afloop) when it is over.\n8. Breaking the spelregels can get you removed from the group.",
	},
	[POL_TXT_MEMBERS_UNACCEPTED] = {
		" (nieuwe spelregels nog niet geaccepteerd)",
		" (has not accepted the new spelregels yet)",
	},
	[POL_TXT_ROUTE_NOT_APPROVER] = {
		"Doorzetten vanuit deze kamer mag alleen de stuurgroep die erover gaat.",
		"Only the stuurgroep in charge may forward from this room.",
	},
	[POL_TXT_ROUTE_NO_REGIEGROEP] = {
		"Deze wijk heeft geen regiegroep. Zet door naar een wijkgroep (!door wijk of !door <wijkgroep>).",
		"This wijk has no regiegroep. Forward to a wijkgroep (!forward wijk or !forward <wijkgroep>).",
	},
	[POL_TXT_ROUTE_UNKNOWN_TARGET] = {
		"Naar \"%s\" kan ik vanuit hier niet doorzetten. Mogelijk: !door (standaard), !door regie, !door wijk, !door <wijkgroep van jullie stuurgroep>, en vanuit een regiegroep !door gemeente.",
		"I cannot forward to \"%s\" from here. Possible: !forward (default), !forward regie, !forward wijk, !forward <wijkgroep of your stuurgroep>, and from a regiegroep !forward gemeente.",
	},
	[POL_TXT_ROUTE_NOT_FROM_HERE] = {
		"Vanuit deze kamer zet ik niets door.",
		"I do not forward anything from this room.",
	},
	[POL_TXT_ROUTE_NOT_DELEGATE] = {
		"Naar of vanuit de gemeentelijke regiegroep zetten alleen afgevaardigden door die in beide groepen zitten.",
		"Only delegates who are in both groups forward to or from the gemeentelijke regiegroep.",
	},
	[POL_TXT_ROUTE_NO_TARGETS] = {
		"Er is geen andere groep om naartoe door te zetten.",
		"There is no other group to forward to.",
	},
	[POL_TXT_CASUS_OPENED] = {
		"Casus #%lld geopend; casushouder: %s.",
		"Casus #%lld opened; casushouder: %s.",
	},
	[POL_TXT_CASUS_ASK_112] = {
		"Heb je 112 gebeld? Zet het in deze draad. Niet spoedeisend? Bel de politie op 0900-8844.",
		"Did you call 112? Say so in this thread. Not urgent? Call the police on 0900-8844.",
	},
	[POL_TXT_CASUS_SAAR_MISSING] = {
		"SAAR: vermeld ook nog %s.",
		"SAAR: please add %s.",
	},
	[POL_TXT_SAAR_SIGNALEMENT] = {
		"het signalement (kleding, postuur, voertuig, gedrag)",
		"a description (clothing, build, vehicle, behaviour)",
	},
	[POL_TXT_SAAR_LOOPRICHTING] = {
		"de looprichting",
		"the direction they went",
	},
	[POL_TXT_SAAR_OWN_ACTION] = {
		"wat je zelf gaat doen",
		"what you are going to do",
	},
	[POL_TXT_CASUS_SECOND] = {
		"Er loopt al een open casus in %s (#%lld); in principe is er één casushouder. Nieuwe casus #%lld van %s.",
		"There is already an open casus in %s (#%lld); as a rule there is one casushouder. New casus #%lld by %s.",
	},
	[POL_TXT_CASUS_NOT_A_CASUS] = {
		"Dat bericht hoort niet bij een casus; doorzetten kan alleen een melding of een bericht in een casus.",
		"That message does not belong to a casus; only a melding or a message in a casus can be forwarded.",
	},
	[POL_TXT_CASUS_DOOR_NEEDS_REPLY] = {
		"Antwoord met !door op het bericht dat door moet (of typ het in de draad ervan).",
		"Answer the message to forward with !forward (or type it in its thread).",
	},
	[POL_TXT_CASUS_FORWARDED] = {
		"Doorgezet naar %s door %s.",
		"Forwarded to %s by %s.",
	},
	[POL_TXT_CASUS_ALREADY_FORWARDED] = {
		"Dit bericht staat al in %s.",
		"This message is already in %s.",
	},
	[POL_TXT_CASUS_COPY_HEADER] = {
		"Casus #%lld uit %s (%s, casushouder %s, doorgezet door %s):",
		"Casus #%lld from %s (%s, casushouder %s, forwarded by %s):",
	},
	[POL_TXT_CASUS_CLOSED_ALREADY] = {
		"Casus #%lld is al afgesloten.",
		"Casus #%lld is already closed.",
	},
	[POL_TXT_AFLOOP_USAGE] = {
		"Gebruik: !afloop [uitkomst] <tekst>, in de draad van de casus of met #nummer. Uitkomsten: politie ter plaatse, aanhouding, loos alarm, onbekend.",
		"Usage: !outcome [result] <text>, in the casus thread or with #number. Results: politie ter plaatse, aanhouding, loos alarm, onbekend.",
	},
	[POL_TXT_AFLOOP_TEXT] = {
		"Afloop casus #%lld%s:\n%s",
		"Outcome of casus #%lld%s:\n%s",
	},
	[POL_TXT_AFLOOP_NOT_ALLOWED] = {
		"De afloop meldt de casushouder of de stuurgroep.",
		"The outcome is posted by the casushouder or the stuurgroep.",
	},
	[POL_TXT_AFLOOP_DONE] = {
		"Casus #%lld is gesloten; de afloop staat in %zu kamer(s).",
		"Casus #%lld is closed; the outcome is in %zu room(s).",
	},
	[POL_TXT_CASUS_NONE] = {
		"Er lopen geen open casussen.",
		"There are no open casussen.",
	},
	[POL_TXT_CASUS_HEADER] = {
		"Open casussen (%zu):",
		"Open casussen (%zu):",
	},
	[POL_TXT_CASUS_LINE] = {
		"#%lld uit %s, %s, %s, casushouder %s, in %zu kamer(s)",
		"#%lld from %s, %s, %s, casushouder %s, in %zu room(s)",
	},
	[POL_TXT_CASUS_UNKNOWN] = {
		"Casus #%lld ken ik niet.",
		"I don't know casus #%lld.",
	},
	[POL_TXT_CASUS_REMINDER] = {
		"Casus #%lld loopt al meer dan %ld uur zonder afloop. Casushouder of stuurgroep: meld de afloop met !afloop <tekst> in de draad.",
		"Casus #%lld has been open for more than %ld hours without an outcome. Casushouder or stuurgroep: post it with !outcome <text> in the thread.",
	},
	[POL_TXT_CASUS_EXPIRED] = {
		"Casus #%lld is na %ld uur zonder afloop gesloten.",
		"Casus #%lld was closed after %ld hours without an outcome.",
	},
	[POL_TXT_CASUS_ORIGIN_PROMPT] = {
		"Dank voor je melding. Wil je de personen nog beschrijven naar kleding, postuur, voertuig en gedrag? Huidskleur of afkomst alleen helpt de politie weinig en kan mensen ten onrechte verdacht maken.",
		"Thank you for your report. Could you describe the people by clothing, build, vehicle and behaviour? Skin colour or origin alone helps the police little and can wrongly make people suspects.",
	},
	[POL_TXT_STATUS_VERSIONS] = {
		"Kamerversie: %s (%zu kamers)",
		"Room version: %s (%zu rooms)",
	},
	[POL_TXT_STATUS_OPEN] = {
		"open",
		"open",
	},
	[POL_TXT_STATUS_CLOSED] = {
		"gesloten",
		"closed",
	},
	[POL_TXT_STATUS_EXPIRED] = {
		"verlopen",
		"expired",
	},
	[POL_TXT_AND] = {
		"en",
		"and",
	},
	[POL_TXT_ACK_HINT] = {
		"Een bedankje of duimpje als bericht geeft iedereen een melding. Reageer liever met een emoji op het bericht zelf; dan blijft de groep rustig.",
		"A thank-you or thumbs-up as a message notifies everyone. Please react to the message itself with an emoji instead; that keeps the group quiet.",
	},
	[POL_TXT_CHATTER_HINT] = {
		"Je plaatst een aantal berichten kort na elkaar. De wijkgroep is alleen voor meldingen; ter herinnering de spelregels:\n%s",
		"You are posting several messages in a short time. The wijkgroep is for meldingen only; as a reminder, the spelregels:\n%s",
	},
	[POL_TXT_AANSPREKEN_DEFAULT] = {
		"De stuurgroep vraagt je je aan de spelregels van de wijkgroep te houden:\n%s",
		"The stuurgroep asks you to keep to the spelregels of the wijkgroep:\n%s",
	},
	[POL_TXT_AANSPREKEN_FROM] = {
		"Bericht van de stuurgroep: %s",
		"Message from the stuurgroep: %s",
	},
	[POL_TXT_AANSPREKEN_DONE] = {
		"%s is aangesproken (privé); dat is keer %ld.",
		"%s has been spoken to (privately); that is time %ld.",
	},
	[POL_TXT_AANSPREKEN_USAGE] = {
		"Gebruik: !aanspreken @gebruiker [tekst]",
		"Usage: !remind @user [text]",
	},
	[POL_TXT_FLAG_NOTICE] = {
		"🚩 %s markeert een bericht van %s in %s: %s (markeringen voor deze bewoner: %ld)",
		"🚩 %s flags a message by %s in %s: %s (flags for this resident: %ld)",
	},
	[POL_TXT_KOPPEL_USAGE] = {
		"Gebruik: !koppel #nummer, in de draad van de nieuwe melding.",
		"Usage: !link #number, in the thread of the new melding.",
	},
	[POL_TXT_KOPPEL_DONE] = {
		"Casus #%lld is gekoppeld aan casus #%lld.",
		"Casus #%lld is linked to casus #%lld.",
	},
	[POL_TXT_KOPPEL_SAME] = {
		"Een casus koppel je niet aan zichzelf.",
		"A casus is not linked to itself.",
	},
	[POL_TXT_MEMBERS_MARKS] = {
		" (aangesproken: %ld, gemarkeerd: %ld)",
		" (spoken to: %ld, flagged: %ld)",
	},
	[POL_TXT_EDIT_REQUEST] = {
		"%s heeft een doorgezet bericht van casus #%lld bewerkt. In %s verandert niets tot iemand van de stuurgroep de bewerking goedkeurt.\nWas:\n%s\nWordt:\n%s\nGoedkeuren: reageer met %s op dit bericht, of antwoord erop met !door.",
		"%s edited a forwarded message of casus #%lld. Nothing changes in %s until a stuurgroep member approves the edit.\nWas:\n%s\nBecomes:\n%s\nTo approve: react with %s to this message, or answer it with !forward.",
	},
	[POL_TXT_EDIT_APPROVED] = {
		"De bewerking van casus #%lld staat nu in %zu kopie(ën) (goedgekeurd door %s).",
		"The edit of casus #%lld is now in %zu cop(ies) (approved by %s).",
	},
	[POL_TXT_EDIT_SUPERSEDED] = {
		"Dit bericht is daarna opnieuw bewerkt; keur de nieuwste bewerking goed.",
		"This message was edited again since; approve the newest edit.",
	},
	[POL_TXT_EDIT_DONE_ALREADY] = {
		"Deze bewerking is al goedgekeurd en staat in de kopieën.",
		"This edit was approved already and is in the copies.",
	},
	[POL_TXT_EDIT_WITHDRAWN] = {
		"Deze bewerking is ingetrokken of het bericht is verwijderd; er gaat niets door.",
		"This edit was withdrawn or the message was removed; nothing is forwarded.",
	},
	[POL_TXT_AFLOOP_HOUDER] = {
		"Casushouder hier: %s.",
		"Casushouder here: %s.",
	},
	[POL_TXT_HELP_AANMELDINGEN] = {
		"!aanmeldingen: de open aanmeldingen van jullie wijkgroepen (stuurgroep)",
		"!applications: the open applications of your wijkgroepen (stuurgroep)",
	},
	[POL_TXT_APPLICATIONS_HEADER] = {
		"Open aanmeldingen van %s (%zu):",
		"Open applications of %s (%zu):",
	},
	[POL_TXT_APPLICATIONS_LINE] = {
		"%lld. %s, buurt %s (%s), sinds %s",
		"%lld. %s, buurt %s (%s), since %s",
	},
	[POL_TXT_APPLICATIONS_WAITING] = {
		" (toegelaten, wacht op een plek)",
		" (admitted, waiting for a place)",
	},
	[POL_TXT_APPLICATIONS_FOOTER] = {
		"Toelaten: !toelaten <nr>  Afwijzen: !afwijzen <nr> [reden]",
		"Admit: !admit <nr>  Reject: !reject <nr> [reason]",
	},
	[POL_TXT_APPLICATIONS_NONE] = {
		"Er zijn geen open aanmeldingen voor %s.",
		"There are no open applications for %s.",
	},
	[POL_TXT_FORGET_REDACT_REASON] = {
		"Verwijderd op verzoek van de bewoner (!vergeetmij).",
		"Removed at the resident's request (!forgetme).",
	},
	[POL_TXT_PURGE_REDACT_REASON] = {
		"Verwijderd: de afgewezen aanmelding wordt niet langer bewaard.",
		"Removed: the rejected application is kept no longer.",
	},
	[POL_TXT_FLOOD_PRIVATE] = {
		"Je plaatst veel berichten kort na elkaar in %s (al %ld casussen in %ld minuten). Van je volgende "
		"berichten maak ik voorlopig geen casus; de stuurgroep weet ervan. Is er iets dringends? Bel 112.",
		"You are posting many messages in %s in a short time (%ld casussen in %ld minutes already). For now "
		"I open no casus for your next messages; the stuurgroep knows. Is something urgent? Call 112.",
	},
	[POL_TXT_FLOOD_NOTICE] = {
		"%s plaatst veel berichten kort na elkaar in %s (al %ld casussen in %ld minuten). Van de volgende "
		"maak ik voorlopig geen casus; hoeveel het er zijn, meld ik hier hooguit eens per %ld minuten.",
		"%s is posting many messages in %s in a short time (%ld casussen in %ld minutes already). For now I "
		"open no casus for the next ones; how many there are I report here at most once per %ld minutes.",
	},
	[POL_TXT_FLOOD_COUNT] = {
		"Van %s zijn sinds de vorige melding nog %ld bericht(en) in %s niet als casus geopend (%ld in totaal).",
		"Since the last notice %s posted %ld more message(s) in %s that were not opened as casus (%ld in all).",
	},
	[POL_TXT_HELP_STATISTIEK] = {
		"!statistiek [periode] [wijk]: anonieme cijfers en grafiek van de meldingen (periode: 2026-11, 2026, 30d, vorige-maand, 2026-01-01..2026-03-31; standaard 30d)",
		"!statistiek [period] [wijk]: anonymous figures and chart of the meldingen (period: 2026-11, 2026, 30d, last-month, 2026-01-01..2026-03-31; default 30d)",
	},
	[POL_TXT_HELP_GEZONDHEID] = {
		"!gezondheid: wat in jullie groepen aandacht nodig heeft (ook elke maandag vanzelf)",
		"!gezondheid: what in your groups needs attention (also every Monday by itself)",
	},
	[POL_TXT_HEALTH_HEADER] = {
		"Hoe gaat het met %s? Dit vraagt aandacht:",
		"How %s is doing: these need attention.",
	},
	[POL_TXT_HEALTH_ALL_WELL] = {
		"%s: alles in orde, niets vraagt aandacht.",
		"%s: all is well, nothing needs attention.",
	},
	[POL_TXT_HEALTH_FEW_LEDEN] = {
		"De stuurgroep heeft %zu lid/leden; met minstens %d verdeel je het werk goed.",
		"The stuurgroep has %zu member(s); at least %d share the work well.",
	},
	[POL_TXT_HEALTH_TB_INACTIVE] = {
		"Er is de afgelopen %d dagen geen actieve telefoonbeheerder geweest; spreek af wie het oppakt (structuurbestand).",
		"No telefoonbeheerder has been active here in the last %d days; agree who takes it on (structure file).",
	},
	[POL_TXT_HEALTH_SILENT] = {
		"In %s is al %lld dagen niets gezegd. Een kort berichtje van de stuurgroep helpt.",
		"%s has been silent for %lld days. A short word from the stuurgroep helps.",
	},
	[POL_TXT_HEALTH_EXPIRED] = {
		"%s: %lld casus(sen) de afgelopen %d dagen verlopen zonder afloop. Vraag de casushouder om een !afloop.",
		"%s: %lld casus(sen) closed by expiry in the last %d days, without afloop. Ask the casushouder for one with !afloop.",
	},
	[POL_TXT_HEALTH_APPS_WAITING] = {
		"%s: %lld aanmelding(en) wachten al langer dan %ld uur (!aanmeldingen).",
		"%s: %lld application(s) waiting longer than %ld hours (!aanmeldingen).",
	},
	[POL_TXT_HEALTH_UNACCEPTED] = {
		"%s: %lld lid/leden hebben de huidige spelregels nog niet geaccepteerd (!leden).",
		"%s: %lld member(s) have not accepted the current spelregels yet (!leden).",
	},
	[POL_TXT_HEALTH_WAITLIST] = {
		"%s: %lld op de wachtlijst (!wachtlijst); misschien is splitsen tijd.",
		"%s: %lld on the waiting list (!wachtlijst); a split may be due.",
	},
	[POL_TXT_STATS_TITLE] = {
		"Statistiek %s, %s t/m %s",
		"Statistics %s, %s to %s",
	},
	[POL_TXT_STATS_MONTHLY] = {
		"Maandoverzicht. %s",
		"Monthly report. %s",
	},
	[POL_TXT_STATS_PART_WIJK] = {
		"- %s: %s meldingen",
		"- %s: %s meldingen",
	},
	[POL_TXT_STATS_PART_WIJKGROEP] = {
		"- %s: %s meldingen, %s leden, %s wachtend",
		"- %s: %s meldingen, %s members, %s waiting",
	},
	[POL_TXT_CHART_TITLE] = {
		"Meldingen per maand, %s",
		"Meldingen per month, %s",
	},
	[POL_TXT_CHART_FILE] = {
		"statistiek.png",
		"statistics.png",
	},
	[POL_TXT_CHART_HEAT_TITLE] = {
		"Meldingen per weekdag en uur",
		"Meldingen by weekday and hour",
	},
	[POL_TXT_CHART_SHADES] = {
		"Tinten: minder dan 5, 5 tot 10, 10 tot 20, 20 of meer.",
		"Shades: fewer than 5, 5 to 9, 10 to 19, 20 or more.",
	},
};

const char *pol_text(pol_lang lang, pol_text_id id)
{
	if ((unsigned)lang >= POL_LANG_COUNT)
		lang = POL_LANG_NL;
	if ((unsigned)id >= POL_TXT_COUNT)
		return "";
	return texts[id][lang] ? texts[id][lang] : texts[id][POL_LANG_NL];
}

/* The format strings come from our own table, whose comments name the
 * arguments; a unit test checks both languages take the same ones. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void pol_textf(char *buf, size_t size, pol_lang lang, pol_text_id id, ...)
{
	va_list ap;

	va_start(ap, id);
	vsnprintf(buf, size, pol_text(lang, id), ap);
	va_end(ap);
}
#pragma GCC diagnostic pop

int pol_lang_parse(const char *name, pol_lang *out)
{
	if (name && strcmp(name, "nl") == 0) {
		*out = POL_LANG_NL;
		return 0;
	}
	if (name && strcmp(name, "en") == 0) {
		*out = POL_LANG_EN;
		return 0;
	}
	return -1;
}

const char *pol_lang_name(pol_lang lang)
{
	return lang == POL_LANG_EN ? "en" : "nl";
}

void pol_quote_lines(const char *s, char *buf, size_t size)
{
	static const char ellipsis[] = "\xe2\x80\xa6";
	size_t o = 0, keep, need;
	const char *p;

	if (size == 0)
		return;
	for (p = s ? s : "";; p++) {
		need = (p == s || (p > s && p[-1] == '\n')) ? 2 : 0;
		need += *p && *p != '\r' ? 1 : 0;
		if (o + need + sizeof ellipsis > size && *p) {
			/* Back to the start of a character, then the ellipsis. */
			keep = o;
			while (keep > 0 && ((unsigned char)buf[keep] & 0xc0) == 0x80)
				keep--;
			if (keep + sizeof ellipsis <= size) {
				memcpy(buf + keep, ellipsis, sizeof ellipsis);
				return;
			}
			buf[0] = '\0';
			return;
		}
		if (p == s || (p > s && p[-1] == '\n')) {
			buf[o++] = '>';
			if (*p && *p != '\n' && *p != '\r')
				buf[o++] = ' ';
		}
		if (!*p)
			break;
		if (*p != '\r')
			buf[o++] = *p;
	}
	buf[o] = '\0';
}
