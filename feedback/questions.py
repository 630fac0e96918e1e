"""The two questionnaires, written in code so that every answer keeps its meaning: the learners' (close to the
EU participant report: preparation, the work, the mentor, accommodation, what was learned, recognition, would
you go again) and the hosts' (the learners' preparation, the school's support, would you host again).

Words are short and plain: many learners read with difficulty, so each answer also has a face pictogram and
the page can read itself aloud. Every question offers the same three answers (good, in between, bad) in the
words that fit it, so that charts compare; the last question is free text only.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

GOOD, MIDDLE, BAD = "good", "middle", "bad"
CHOICE_VALUES = (GOOD, MIDDLE, BAD)
# Which face each answer shows (templates/feedback/partials/face.html).
FACES = {GOOD: "happy", MIDDLE: "neutral", BAD: "sad"}


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    choices: tuple = ()  # (value, label) in the order of CHOICE_VALUES; empty for a free-text question
    hint: str = ""
    short: str = ""  # a few words for charts and tables

    @property
    def free_text_only(self):
        return not self.choices


def _yes_somewhat_no(yes, somewhat, no):
    return ((GOOD, yes), (MIDDLE, somewhat), (BAD, no))


LEARNER = "learner"
HOST = "host"

LEARNER_QUESTIONS = (
    Question(
        "preparation",
        _("Did the lessons before the trip help you?"),
        _yes_somewhat_no(_("Yes, a lot"), _("A little"), _("No")),
        _("The lessons about the language, the country and safety."),
        short=_("Preparation"),
    ),
    Question(
        "work",
        _("Did you like the work at the company?"),
        _yes_somewhat_no(_("Yes"), _("Sometimes"), _("No")),
        short=_("The work"),
    ),
    Question(
        "mentor",
        _("Did your mentor help you at work?"),
        _yes_somewhat_no(_("Yes, always"), _("Sometimes"), _("No")),
        _("The mentor is the person at the company who showed you the work."),
        short=_("The mentor"),
    ),
    Question(
        "accommodation",
        _("Was the place where you slept good?"),
        _yes_somewhat_no(_("Yes, good"), _("It was all right"), _("No, bad")),
        short=_("Accommodation"),
    ),
    Question(
        "learned",
        _("Did you learn new things for your trade?"),
        _yes_somewhat_no(_("Yes, many"), _("A few"), _("No")),
        short=_("What they learned"),
    ),
    Question(
        "recognition",
        _("Did the school tell you what your certificate is good for?"),
        _yes_somewhat_no(_("Yes"), _("I am not sure"), _("No")),
        _("For example, for a job or for your school results."),
        short=_("Recognition explained"),
    ),
    Question(
        "again",
        _("Would you go again?"),
        _yes_somewhat_no(_("Yes"), _("Maybe"), _("No")),
        short=_("Would go again"),
    ),
    Question("comment", _("Do you want to tell us something more?"), (), _("You can skip this question.")),
)

HOST_QUESTIONS = (
    Question(
        "preparation",
        _("How well prepared were the learners for the work?"),
        _yes_somewhat_no(_("Well prepared"), _("Partly prepared"), _("Not prepared")),
        short=_("Learners' preparation"),
    ),
    Question(
        "support",
        _("How was the sending school's support during the stage?"),
        _yes_somewhat_no(_("Good"), _("Adequate"), _("Poor")),
        short=_("School's support"),
    ),
    Question(
        "communication",
        _("How was the communication with the accompanying teachers?"),
        _yes_somewhat_no(_("Good"), _("Adequate"), _("Poor")),
        short=_("Communication"),
    ),
    Question(
        "again",
        _("Would you host learners of this school again?"),
        _yes_somewhat_no(_("Yes"), _("Maybe"), _("No")),
        short=_("Would host again"),
    ),
    Question("comment", _("Anything else you would like to tell the school?"), (), _("You can skip this question.")),
)

QUESTIONNAIRES = {LEARNER: LEARNER_QUESTIONS, HOST: HOST_QUESTIONS}


def questions_for(kind):
    return QUESTIONNAIRES[kind]


def question(kind, code):
    for found in QUESTIONNAIRES[kind]:
        if found.code == code:
            return found
    raise KeyError(code)
