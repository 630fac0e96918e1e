"""The demo project's frameworks: units of learning outcomes for the two qualifications of the placements.

Written for Second Chance learners (lower-secondary education, EQF level 3) on a 4-week stage in a
workshop: short sentences, one observable task each, the words a mentor uses on the shop floor.

Idempotent: units and outcomes are found by qualification and title (text) before they are created,
and nothing a coordinator edited afterwards is overwritten.
"""

from django.db import transaction

from placements.models import Qualification

from .models import Outcome, Unit

K, S, R = Outcome.Kind.KNOWLEDGE, Outcome.Kind.SKILLS, Outcome.Kind.RESPONSIBILITY

FRAMEWORKS = {
    "Maintenance mechanic": [
        (
            "Health, safety and order in the workshop",
            "Working safely around machines, tools and lubricants, and keeping the workplace in order.",
            [
                (
                    K,
                    "Names the main hazards in the workshop (moving parts, sharp edges, electricity, hot surfaces, "
                    "oils) and the protective equipment used against each.",
                ),
                (
                    S,
                    "Wears the right protective equipment for the task and keeps the work area clean, clear and "
                    "free of oil spills.",
                ),
                (S, "Follows the lock-out and tag-out steps shown by the mentor before any work on a machine."),
                (R, "Stops work and tells the mentor at once when a machine, a tool or a situation looks unsafe."),
            ],
        ),
        (
            "Measuring, marking out and bench work",
            "Reading simple drawings, measuring, and making or adjusting simple parts by hand.",
            [
                (K, "Reads the dimensions, tolerances and basic symbols on a simple part drawing."),
                (
                    S,
                    "Measures parts with a steel rule, a vernier caliper and a micrometer, and writes the readings "
                    "down correctly.",
                ),
                (S, "Marks out, saws, files, drills and taps a thread in a simple part to the drawing."),
                (R, "Checks own work against the drawing and corrects it before handing it over."),
            ],
        ),
        (
            "Preventive maintenance",
            "Routine checks, lubrication and small adjustments from the company's maintenance plan.",
            [
                (
                    K,
                    "Explains why machines are inspected and lubricated regularly, and where the maintenance plan "
                    "and the checklists are kept.",
                ),
                (
                    S,
                    "Carries out the checks on a checklist (oil levels, grease points, belts, filters, leaks) and "
                    "records what was done.",
                ),
                (S, "Chooses and uses the right hand and power tools to tighten, adjust and replace simple parts."),
                (R, "Finishes the checklist tasks given for the shift on time and reports anything unusual."),
            ],
        ),
        (
            "Dismantling, repair and reassembly",
            "Taking a simple assembly apart, finding the worn part and putting the assembly back together.",
            [
                (
                    K,
                    "Names common machine parts (bearings, shafts, gears, belts, seals, fasteners) and says what "
                    "each one does.",
                ),
                (
                    S,
                    "Dismantles and reassembles a simple assembly in the right order, keeping the parts clean and "
                    "labelled.",
                ),
                (
                    S,
                    "Finds a worn or damaged part by looking, listening and measuring, and replaces it with the "
                    "mentor's agreement.",
                ),
                (
                    R,
                    "Works in a team on a repair: asks when unsure, follows instructions and tells the next person "
                    "what was done.",
                ),
            ],
        ),
    ],
    "Textile and leather products manufacturing": [
        (
            "Health, safety and work organisation",
            "Working safely at the sewing and cutting workstations and keeping the workstation in order.",
            [
                (
                    K,
                    "Names the risks at a sewing and cutting workstation (needles, blades, irons, dust, posture) "
                    "and how to prevent them.",
                ),
                (
                    S,
                    "Sets up the workstation, uses the needle and finger guards, and handles scissors, cutters "
                    "and the iron safely.",
                ),
                (
                    R,
                    "Tells the supervisor at once about a machine fault or an injury, and does not try to repair a "
                    "machine alone.",
                ),
            ],
        ),
        (
            "Materials and cutting",
            "Choosing, checking, laying out and cutting fabric and leather.",
            [
                (
                    K,
                    "Recognises common fabrics and leathers (woven, knitted, natural, synthetic, the grain side of "
                    "leather) and how each behaves when sewn.",
                ),
                (
                    S,
                    "Checks the material for defects (holes, stains, shade differences, scars in leather) before "
                    "cutting.",
                ),
                (
                    S,
                    "Lays out the pattern pieces along the grain line, marks them and cuts them accurately with "
                    "little waste.",
                ),
                (R, "Keeps the cut pieces of each order together, counted and labelled for the next operation."),
            ],
        ),
        (
            "Machine sewing and assembly",
            "Preparing the machines and sewing the seams and parts of a product.",
            [
                (K, "Names the main parts of a lockstitch and an overlock machine and the stitches each one makes."),
                (
                    S,
                    "Threads the machine, changes the needle and the thread for the material, and sets the stitch "
                    "length and tension on a test piece.",
                ),
                (
                    S,
                    "Sews straight and curved seams and hems, and attaches zips, pockets and straps within the "
                    "required seam allowance.",
                ),
                (R, "Works at the pace of the production line and finishes the operations given for the day."),
            ],
        ),
        (
            "Finishing and quality control",
            "Making a product ready for packing and checking it against the specification.",
            [
                (
                    K,
                    "Explains the quality requirements of the product: measurements, seam appearance, labels "
                    "and packing.",
                ),
                (S, "Trims threads, presses the product and finishes the edges (edge paint on leather goods)."),
                (
                    S,
                    "Inspects finished products against the specification, puts faulty pieces aside and marks "
                    "the fault.",
                ),
                (
                    R,
                    "Takes responsibility for the quality of own work: checks it and repairs own mistakes before "
                    "passing it on.",
                ),
            ],
        ),
    ],
}


@transaction.atomic
def load_frameworks():
    """Create the demo units and outcomes for the qualifications that exist; change nothing already there."""
    for qualification in Qualification.objects.filter(name__in=FRAMEWORKS):
        for unit_position, (title, description, outcomes) in enumerate(FRAMEWORKS[qualification.name], start=1):
            unit, _created = Unit.objects.get_or_create(
                qualification=qualification,
                title=title,
                defaults={"description": description, "position": unit_position},
            )
            for position, (kind, text) in enumerate(outcomes, start=1):
                Outcome.objects.get_or_create(unit=unit, text=text, defaults={"kind": kind, "position": position})


def load_rounds():
    """Submitted baseline rounds for the running placement, so that the assessment pages show real states."""
    from placements.models import Placement

    from .models import AssessmentRound, Outcome, ScaleLevel
    from .services import save_round

    placement = Placement.objects.filter(title__startswith="Flow 1").first()
    if placement is None or AssessmentRound.objects.filter(assignment__placement=placement).exists():
        return
    levels = {level.code: level.pk for level in ScaleLevel.objects.all()}
    outcomes = list(Outcome.objects.filter(unit__qualification=placement.qualification).values_list("pk", flat=True))
    for i, assignment in enumerate(placement.assignments.select_related("participant", "mentor")):
        ratings = {}
        for j, outcome in enumerate(outcomes):
            if j % 9 == 8:
                ratings[outcome] = (levels["not-observed"], "")
            elif (i + j) % 5 == 0:
                ratings[outcome] = (levels["not-yet"], "Watched the demonstration; needs to see it done again.")
            elif (i * j) % 7 == 3:
                ratings[outcome] = (levels["independently"], "")
            else:
                ratings[outcome] = (levels["with-help"], "")
        save_round(assignment, AssessmentRound.Kind.BASELINE, ratings, user=assignment.mentor, submit=True)
