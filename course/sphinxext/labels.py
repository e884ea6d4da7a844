"""Every string a learner or trainer reads, in French, in one place."""

# -- fiche module ---------------------------------------------------------------------------
FICHE_TITLE = "Fiche module"
DURATION = "Durée"
DURATION_VALUE = "{total} (lecture {lecture}, activités {activites})"
AUDIENCE = "Public"
LEVEL = "Niveau"
LAW_AS_OF = "État du droit"
LAW_AS_OF_VALUE = "au {date}"
OBJECTIVES_INTRO = "Objectifs : à l'issue de ce module, vous serez capable de :"
PREREQUISITES = "Prérequis :"
KEY_POINTS = "Points clés"
EXERCISES = "Exercices"
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# -- syllabus -------------------------------------------------------------------------------
SYLLABUS_CAPTION = "Programme du cours : modules, durées, objectifs et exercices"
SYLLABUS_HEAD = ("Module", "Durée", "Objectifs", "Exercices (durée)")
SYLLABUS_TOTAL = "Total ({count} modules)"

# -- facilitator notes ----------------------------------------------------------------------
NOTE_TITLE = "Note pour le formateur : {title} ({duree})"
NOTES_CAPTION = "Notes pour le formateur, dans l'ordre du cours"
NOTES_HEAD = ("Page", "Activité", "Durée")
NOTES_TOTAL = "Total des activités animées"
NOTES_EMPTY = "Aucune note pour le formateur dans le cours."

# -- self-study activities ------------------------------------------------------------------
SELF_STUDY_TITLE = "{title} (durée indicative : {duree})"
SELF_STUDY_REVEAL = "Voir une réponse possible"
SELF_STUDY_NO_DURATION = "option :duree: obligatoire (minutes)"
SELF_STUDY_ANSWERS = (
    "une activité en autonomie contient exactement une {{reponse-modele}} ({n} trouvée(s)) : "
    "écrivez « ::::{{activite-autonomie}} … », puis, dedans, « :::{{reponse-modele}} … ::: »"
)
SELF_STUDY_ANSWER_OUTSIDE = (
    "{reponse-modele} hors d'une {activite-autonomie} : placez-la dans l'activité "
    "(la directive qui l'entoure s'écrit avec un deux-points de plus, « :::: »)"
)
SELF_STUDY_ANSWER_EMPTY = "{reponse-modele} vide : écrivez la réponse possible"
SELF_STUDY_MATRIX = "En autonomie : {title}"

# -- quiz -----------------------------------------------------------------------------------
QUESTION = "Question {n}"
QUIZ_MULTIPLE = "(plusieurs réponses possibles)"
QUIZ_CHECK = "Vérifier ma réponse"
QUIZ_CORRECTION = "Voir la correction"
QUIZ_RIGHT = "Bonne réponse"
QUIZ_WRONG = "Mauvaise réponse"
QUIZ_SCORE = "Score de la page : {done} question(s) vérifiée(s) sur {total}."
QUIZ_NOSCRIPT = "Sans JavaScript, ouvrez « Voir la correction » sous chaque question."

# -- unconfirmed facts ------------------------------------------------------------------------
TO_CHECK_TITLE = "Information non confirmée"
LAW_CHECK_CUTOFF = "2014-12-31"  # the stored texts (sources/) are the law as it stood then
ERR_UNCHECKED_TEXT = (
    "« {found} » hors d'un encadré {{a-verifier}} dans un module daté etat_du_droit: {date} : "
    "mettez l'information dans un encadré {{a-verifier}} ou abaissez la date à ce qui a été "
    "vérifié (au plus {cutoff})"
)
ERR_UNCHECKED_LAW = (
    "encadré {{a-verifier}} sur une règle de droit dans un module daté etat_du_droit: {date} : "
    "une règle non vérifiée n'est pas « à jour » ; abaissez la date à ce qui a été vérifié "
    "(au plus {cutoff}) ou, si l'encadré ne porte pas sur une règle de droit (chiffre, "
    "publication, événement), écrivez « :objet: fait » sous sa première ligne"
)

# -- exercises ------------------------------------------------------------------------------
EX_DOWNLOAD = "Télécharger l'exercice (notebook et données, .zip)"
EX_DOWNLOAD_TRAINER = "Télécharger le corrigé (notebook formateur, .zip)"
EX_HUB = "Ouvrir sur le JupyterHub de votre organisation"
EX_BINDER = "Ouvrir sur Binder"
EX_HUB_HELP = (
    "Le lien ouvre la page de connexion du JupyterHub (identifiant et mot de passe donnés par "
    "votre organisation ou votre formateur), démarre votre espace de travail (de quelques "
    "secondes à une minute), y copie les notebooks du cours au premier clic, puis ouvre "
    "l'exercice dans JupyterLab avec ses données. Votre travail y est conservé : cliquer de "
    "nouveau met à jour les fichiers du cours sans effacer ce que vous avez écrit. Pour "
    "repartir d'une copie neuve, supprimez ou renommez le notebook, puis cliquez de nouveau."
)
EX_BINDER_HELP = (
    "Binder prépare une copie temporaire de l'exercice (le premier lancement peut prendre "
    "plusieurs minutes) : rien n'y est conservé quand vous fermez la page ou après quelques "
    "minutes d'inactivité (dix sur mybinder.org). Pour garder votre travail, téléchargez le "
    "notebook (menu File, Download) avant de partir."
)
EX_NO_ALT = (
    "graphique sans texte alternatif (cellule {cell} de la page générée) : ajoutez "
    '`:alt: "…"` sous la ligne ```{{code-cell}} de la cellule qui le trace'
)
CACHE_CORRUPT = (
    "fichier du cache modifié depuis son écriture (son empreinte SHA-256 ne correspond plus) : "
    "il n'est pas publié, il vient d'être refait ; relancez la construction (si cela se "
    "répète, vérifiez le disque)"
)
EX_LINK_MISSING = "exercice inconnu : « {slug} » (aucun fichier {path})"

# -- errors (build messages) ----------------------------------------------------------------
EX_INVALID = "exercices invalides : voir les messages ci-dessus"
EX_FAILED = "exercices en échec à l'exécution : voir les messages ci-dessus"
EX_RUN_HINT = (
    "corrigez cette cellule de la source (ou marquez-la `raises-exception` si l'erreur est "
    "voulue) ; la trace complète s'affiche avec -v"
)
ERR_NOT_UTF8 = "fichier(s) non enregistré(s) en UTF-8 : voir les messages ci-dessus"
ERR_PAGE_SIZE = (
    "page de {size} Mo, au-delà de la limite de {limit} Ko (course_page_max_kb) : un module se "
    "lit en 30 à 60 minutes ; retirez ce qui a été collé par erreur (données, journal) ou "
    "découpez la page en plusieurs modules"
)
ERR_TOO_LARGE = "page(s) trop volumineuse(s) : voir les messages ci-dessus"
ERR_LIST_BLOCK = "le bloc {{{kind}}} doit contenir une seule liste à puces"
ERR_MISSING_BLOCK = "bloc {{{kind}}} absent ({label})"
ERR_DUPLICATE_BLOCK = "bloc {{{kind}}} en double"
ERR_BLOCK_OUTSIDE_MODULE = "bloc {{{kind}}} hors d'un module (réservé aux pages de modules/)"
ERR_NO_TITLE = "titre de niveau 1 (# …) absent"
ERR_DUPLICATE_TITLE = (
    "[titre] « {title} » est déjà le titre de {other} : deux modules de même titre se "
    "confondent dans le programme et dans les catégories Moodle ; donnez-leur des titres distincts"
)
ERR_NOT_IN_TOCTREE = (
    "[toctree] module absent de toute table des matières : ajoutez la ligne « {docname} » au "
    "{{toctree}} de index.md, à sa place dans l'ordre du cours (sinon il n'apparaît dans aucun "
    "menu et vient en dernier dans le programme)"
)
ERR_DUPLICATE_SLUG = (
    "[slug] le module « {slug} » existe déjà : {other} ; deux modules de même nom de fichier "
    "se confondent (références d'objectifs « {slug}/… », liens des exercices, paquets LMS) : "
    "renommez l'un des deux fichiers"
)

# -- constructive alignment (objectives, matrix) ----------------------------------------------
ALIGN_NO_ID = (
    "objectif sans identifiant (« {text}… ») : écrivez « - (identifiant) Verbe … », "
    "par exemple « - (definition) Citer … »"
)
ALIGN_DUPLICATE_ID = "identifiant d'objectif « {id} » en double dans ce module"
ALIGN_UNKNOWN = "objectif inconnu « {ref} » (aucun objectif de ce nom dans ce module)"
ALIGN_UNTAGGED = (
    "la question {n} n'évalue aucun objectif : ajoutez « :objectif: identifiant » "
    "sous sa première ligne"
)
ALIGN_EXERCISE_UNTAGGED = (
    "exercice « {slug} » : aucun objectif de module évalué (course.objectifs_module)"
)
ALIGN_UNASSESSED = (
    "objectif « {id} » évalué par aucune question ni aucun exercice : écrivez une question "
    "(:objectif: {id}) ou reformulez l'objectif"
)
ALIGN_COUNT = {
    "q": ("aucune question", "{n} question", "{n} questions"),
    "e": ("aucun exercice", "{n} exercice", "{n} exercices"),
    "a": ("aucune activité", "{n} activité", "{n} activités"),
}
ALIGN_OK = "Évalué"
ALIGN_GAP = "Lacune : objectif non évalué"
ALIGN_FICHE = "Alignement"
ALIGN_FICHE_INTRO = (
    "Par objectif, ce qui l'évalue ou le fait pratiquer dans ce module et ses exercices "
    "(les études de cas : voir la matrice d'alignement) :"
)
ALIGN_SUMMARY = (
    "{total} objectifs dans le cours ; {gaps} non évalué(s) par une question ou un exercice."
)
ALIGN_CAPTION = "{title} : objectifs, questions, exercices et activités"
ALIGN_HEAD = (
    "Objectif",
    "Questions",
    "Exercices (durée)",
    "Activités animées ou en autonomie (durée)",
    "Bilan",
)
ALIGN_TOTAL_HEAD = "Total du module"
ALIGN_TOTAL = (
    "{objectifs} objectif(s) ; {questions} question(s) ; {exercices} exercice(s), {duree_ex} ; "
    "{activites} activité(s), {duree_act}"
)

# -- course paths (trainer's guide) ----------------------------------------------------------
PATH_HEAD = ("Séance", "Modules (durée de chacun)", "Durée")
PATH_TOTAL = "Total"
PATH_AVAILABLE = "temps disponible : {available}"
PATH_MODULE_QUIZ = "{duree}, dont quiz {quiz}"

# -- accessibility ----------------------------------------------------------------------------
OUTPUT_REGION = "Résultat de la cellule (faites défiler horizontalement)"

# -- the theme's own words (Furo writes them in English, some without gettext) -----------------
# (English as rendered, French): exact strings, replaced in every rendered page when the
# project's language is French
THEME_FR = (
    ('aria-label="Toggle site navigation sidebar"', 'aria-label="Afficher ou masquer le menu"'),
    (
        'aria-label="Toggle table of contents sidebar"',
        'aria-label="Afficher ou masquer la table des matières"',
    ),
    (
        'aria-label="Toggle Light / Dark / Auto color theme"',
        'aria-label="Changer de thème : clair, sombre ou automatique"',
    ),
    ('aria-label="Toggle navigation of ', 'aria-label="Afficher ou masquer les pages : '),
    ("<title>Auto light/dark, in light mode</title>", "<title>Thème automatique, clair</title>"),
    ("<title>Auto light/dark, in dark mode</title>", "<title>Thème automatique, sombre</title>"),
    (">Skip to content</a>", ">Aller au contenu</a>"),
    ("<span>Back to top</span>", "<span>Haut de page</span>"),
    ("<span>Next</span>", "<span>Suivant</span>"),
    ("<span>Previous</span>", "<span>Précédent</span>"),
    (
        'Made with <a href="https://www.sphinx-doc.org/">Sphinx</a> and <a',
        'Réalisé avec <a href="https://www.sphinx-doc.org/">Sphinx</a> et <a',
    ),
    ("@pradyunsg</a>'s", "@pradyunsg</a> :"),
)
# "On this page", between spaces that vary with the template's indentation
THEME_FR_TOC_TITLE = "Sur cette page"
