/* web_text.c: see web_text.h. The formats name their arguments in
 * web_text.h; the pages pass them escaped. */
#include "web_text.h"

static const char *const texts[W_COUNT][POL_LANG_COUNT] = {
	[W_TITLE_GEMEENTE] = { "Buurtpreventie in %s", "Neighbourhood watch in %s" },
	[W_GEMEENTE_INTRO] = {
		"In deze wijken houden bewoners samen een oogje in het zeil. Zie je iets verdachts, dan bel je eerst "
		"112 en meld je het daarna in de chatgroep van je wijk, zodat de buren ook alert zijn.",
		"In these wijken (districts) residents keep an eye out together. If you see something suspicious, you "
		"call 112 first and then report it in your wijk's chat group, so the neighbours are alert too." },
	[W_GEMEENTE_PICK] = { "Kies je wijk:", "Choose your wijk:" },
	[W_WIJK_TITLE] = { "Buurtpreventie %s", "Neighbourhood watch %s" },
	[W_WIJK_ACTIVE] = { "In %s is buurtpreventie actief.", "Neighbourhood watch is active in %s." },
	[W_HOW_TITLE] = { "Zo werkt het", "How it works" },
	[W_HOW_TEXT] = {
		"Bewoners zitten samen in een chatgroep (Matrix, bijvoorbeeld met de app Element). Een paar "
		"vrijwilligers, de stuurgroep, houden de groep bij en geven belangrijke meldingen door aan de "
		"rest van de wijk. We werken volgens SAAR:",
		"Residents share a chat group (Matrix, for example with the Element app). A few volunteers, the "
		"stuurgroep, look after the group and pass important reports on to the rest of the wijk. We work by "
		"SAAR:" },
	[W_SAAR_S] = { "Signaleer: je ziet een verdachte situatie.", "Signal: you see a suspicious situation." },
	[W_SAAR_A] = { "Alarmeer: bel eerst 112.", "Alert: call 112 first." },
	[W_SAAR_A2] = { "App: meld het daarna in de groep en zeg dat je 112 hebt gebeld.",
			"App: then post it in the group and say that you called 112." },
	[W_SAAR_R] = { "Reageer: volg het op en meld hoe het afliep.", "Respond: follow up and say how it ended." },
	[W_112_FIRST] = { "Bij gevaar altijd eerst 112. De chatgroep vervangt de politie nooit.",
			  "In danger, always call 112 first. The chat group never replaces the police." },
	[W_SPELREGELS_TITLE] = { "Spelregels", "House rules (spelregels)" },
	[W_FORM_TITLE] = { "Aanmelden", "Sign up" },
	[W_FORM_INTRO] = {
		"Meld je aan; de stuurgroep van je buurt bekijkt je aanmelding. Je hebt geen e-mailadres nodig: na "
		"het versturen krijg je een eigen statuspagina.",
		"Sign up; your buurt's stuurgroep looks at your application. You need no e-mail address: after "
		"sending you get a status page of your own." },
	[W_F_NAME] = { "Naam", "Name" },
	[W_F_ADDRESS] = { "Postcode of buurt", "Postcode or buurt" },
	[W_F_ADDRESS_HINT] = { "Bijvoorbeeld 4611 AB, of de naam van je buurt.",
			       "For example 4611 AB, or the name of your buurt." },
	[W_F_BUURT] = { "Of kies je buurt", "Or choose your buurt" },
	[W_F_BUURT_NONE] = { "(kies)", "(choose)" },
	[W_F_PHONE] = { "Telefoonnummer (niet verplicht)", "Phone number (optional)" },
	[W_F_PHONE_HINT] = { "Alleen de stuurgroep ziet het, nooit de andere bewoners.",
			     "Only the stuurgroep sees it, never the other residents." },
	[W_F_ADULT] = { "Ik ben 18 jaar of ouder en woon in %s.", "I am 18 or older and live in %s." },
	[W_F_AKKOORD] = { "Ik ga akkoord met de spelregels hierboven.", "I agree with the spelregels above." },
	[W_F_SUBMIT] = { "Aanmelding versturen", "Send application" },
	[W_FORM_ERRORS] = { "Er klopt iets niet in het formulier; kijk bij de velden hieronder.",
			    "Something in the form is not right; see the fields below." },
	[W_PRIVACY_TITLE] = { "Privacy", "Privacy" },
	[W_PRIVACY_TEXT] = {
		"We bewaren je naam, postcode of buurt, je telefoonnummer als je dat geeft en dat je akkoord ging, "
		"alleen om je aanmelding te behandelen. Alleen de stuurgroep van je wijkgroep ziet ze. Een afgewezen "
		"of onafgemaakte aanmelding wordt na 30 dagen gewist; je kunt je aanmelding zelf op je statuspagina "
		"wissen, en als lid met !vergeetmij in de chat. Deze website gebruikt alleen een cookie tegen "
		"misbruik van het formulier, geen trackers en niets van andere websites.",
		"We keep your name, postcode or buurt, your phone number if you give it and that you agreed, only to "
		"handle your application. Only your wijkgroep's stuurgroep sees them. A rejected or unfinished "
		"application is deleted after 30 days; you can delete your application yourself on your status "
		"page, and as a member with !vergeetmij in the chat. This website only uses a cookie against misuse "
		"of the form, no trackers and nothing from other websites." },
	[W_STATUS_TITLE] = { "Je aanmelding", "Your application" },
	[W_STATUS_KEEP] = {
		"Bewaar het adres van deze pagina (bladwijzer): alleen wie het heeft, kan je aanmelding zien.",
		"Keep the address of this page (bookmark it): only who has it can see your application." },
	[W_ST_NEW] = { "Verstuurd. De stuurgroep krijgt je aanmelding zo te zien.",
		       "Sent. The stuurgroep will see your application shortly." },
	[W_ST_OPEN] = { "In behandeling: de stuurgroep bekijkt je aanmelding.",
			"Pending: the stuurgroep is looking at your application." },
	[W_ST_WAITING] = { "Op de wachtlijst: je wijkgroep is vol. Zodra er plek is, hoor je het hier.",
			   "On the waiting list: your wijkgroep is full. You will see it here as soon as there is room." },
	[W_ST_ADMITTED] = { "Toegelaten! Welkom bij %s. Nog twee stappen:",
			    "Admitted! Welcome to %s. Two more steps:" },
	[W_ST_REJECTED] = { "Je aanmelding is afgewezen. Vragen? Neem contact op met de buurtpreventie van je wijk.",
			    "Your application was rejected. Questions? Contact your wijk's neighbourhood watch." },
	[W_ST_LINKED] = { "Klaar: je account is gekoppeld aan je aanmelding voor %s. Accepteer de uitnodiging in je "
			  "app. Wil je later stoppen, stuur dan !vergeetmij aan de buurtbot.",
			  "Done: your account is linked to your application for %s. Accept the invitation in your app. "
			  "To stop later, send !vergeetmij to the buurtbot." },
	[W_ST_EXPIRED] = { "De code is verlopen. Meld je opnieuw aan, of vraag de stuurgroep om hulp.",
			   "The code has expired. Sign up again, or ask the stuurgroep for help." },
	[W_ST_DELETED] = { "Deze aanmelding is gewist.", "This application was deleted." },
	[W_ADM_STEP1] = { "1. Maak een Matrix-account (heb je er al een, sla dit dan over).",
			  "1. Create a Matrix account (skip this if you already have one)." },
	[W_ADM_TOKEN] = { "Registratiecode voor het account (één keer te gebruiken):",
			  "Registration token for the account (single use):" },
	[W_ADM_NO_TOKEN] = { "De registratiecode wordt klaargezet; ververs deze pagina over een minuut.",
			     "The registration token is being prepared; reload this page in a minute." },
	[W_ADM_OWN_ACCOUNT] = { "Maak een account via de link hieronder; lukt dat niet, vraag dan de stuurgroep om hulp.",
				"Create an account with the link below; if that does not work, ask the stuurgroep for help." },
	[W_ADM_CLIENT] = { "Account maken", "Create the account" },
	[W_ADM_STEP2] = { "2. Stuur deze code in een chat aan de buurtbot; die nodigt je dan uit in je wijkgroep:",
			  "2. Send this code in a chat to the buurtbot; it then invites you into your wijkgroep:" },
	[W_ADM_CODE] = { "Code", "Code" },
	[W_ADM_BOT] = { "Chat met de buurtbot", "Chat with the buurtbot" },
	[W_ADM_EXPIRES] = { "Geldig tot %s (UTC).", "Valid until %s (UTC)." },
	[W_DELETE_TITLE] = { "Aanmelding wissen", "Delete application" },
	[W_DELETE_TEXT] = { "Wil je niet meer meedoen? Dan wissen we alles wat je hier gaf.",
			    "Changed your mind? Then we delete everything you gave here." },
	[W_DELETE_BUTTON] = { "Wis mijn aanmelding", "Delete my application" },
	[W_ERR_NOT_FOUND] = { "Deze pagina bestaat niet (meer).", "This page does not exist (any more)." },
	[W_ERR_FORM_OLD] = { "Het formulier is verlopen of kwam niet van deze website. Open de pagina opnieuw en "
			     "probeer het nog eens.",
			     "The form has expired or did not come from this website. Open the page again and try "
			     "once more." },
	[W_ERR_REPLAY] = { "Dit formulier is al verstuurd. Kijk op je statuspagina, of open de pagina opnieuw "
			   "voor een nieuwe aanmelding.",
			   "This form was sent already. Look at your status page, or open the page again for a new "
			   "application." },
	[W_ERR_RATE] = { "Te veel verzoeken vanaf dit adres. Probeer het over een paar minuten opnieuw.",
			 "Too many requests from this address. Please try again in a few minutes." },
	[W_ERR_TOO_LARGE] = { "Het formulier is te groot.", "The form is too large." },
	[W_ERR_SERVER] = { "Er ging iets mis aan onze kant. Probeer het later nog eens.",
			   "Something went wrong on our side. Please try again later." },
	[W_ERR_METHOD] = { "Dat kan hier niet.", "That is not possible here." },
	[W_BACK] = { "Terug", "Back" },
	[W_OTHER_LANG] = { "English", "Nederlands" },
	[W_FLYER_LINK] = { "Flyer om te printen (PDF)", "Printable flyer (PDF)" },
	[W_FLYER_WHAT] = {
		"Bewoners letten samen op hun buurt. Zie je iets verdachts? Bel eerst 112, meld het dan in de "
		"buurtchat. Samen maken we het inbrekers moeilijk.",
		"Residents look out for their neighbourhood together. See something suspicious? Call 112 first, then "
		"report it in the neighbourhood chat. Together we make it hard for burglars." },
	[W_FLYER_SIGNUP] = { "Doe mee! Meld je aan:", "Join us! Sign up:" },
	[W_ERR_LINKED] = { "Je account is al gekoppeld aan deze aanmelding: je gegevens staan nu bij de buurtbot. Wil "
			   "je stoppen en alles laten wissen, stuur dan !vergeetmij aan de buurtbot.",
			   "Your account is already linked to this application: your details are now with the "
			   "buurtbot. To stop and have everything deleted, send !vergeetmij to the buurtbot." },
};

const char *web_text(pol_lang lang, web_text_id id)
{
	if ((unsigned)id >= W_COUNT)
		return "";
	return texts[id][(unsigned)lang < POL_LANG_COUNT ? lang : POL_LANG_NL];
}
