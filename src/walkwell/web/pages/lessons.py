"""Learn: short lessons written for WalkWell from the program's sources.

Each lesson cites the protocol source keys it draws on; the page shows their titles.
Today links the lesson the protocol chose for the day (``lesson_for``).
"""

from __future__ import annotations

from dataclasses import dataclass

from walkwell.core.model import DayPlan


@dataclass(frozen=True, slots=True)
class Lesson:
    slug: str
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    sources: tuple[str, ...]


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        slug="why-walking-helps",
        title="Why walking helps a sore back",
        summary="Gentle, repeated walking tells a wary nervous system that moving is safe.",
        paragraphs=(
            "Walking loads your body with nothing more than its own weight. With every "
            "step your spine turns a little, the deep muscles around your trunk steady "
            "you, your buttock muscles push you forward and your breathing deepens. "
            "None of it is dramatic, and that is the point.",
            "Done often, walking eases stiffness, brings blood to the tissues around "
            "your spine and gets your hips moving again after long hours of sitting.",
            "The goal is not a step count. The walks that help are the ones you can "
            "repeat, day after day, without stirring up new symptoms. WalkWell starts "
            "you at what you can manage now and builds from there.",
        ),
        sources=("seed", "walkback2024"),
    ),
    Lesson(
        slug="pain-loop",
        title="The pain loop, and how to calm it",
        summary="Long-lasting pain is partly an over-protective alarm; steady easy walks turn it down.",
        paragraphs=(
            "When back pain has lasted a long time, the nervous system can become "
            "over-protective: ordinary movement starts to set off the alarm. That is a "
            "sensitivity loop, not a sign that your back is broken.",
            "Short, calm, regular walks send the opposite message: this movement is "
            "safe. Over weeks the alarm threshold can rise again.",
            "That is why WalkWell holds the dose, or steps it back, when a walk leaves "
            "you sorer the next morning. Pushing through a flare keeps the alarm loud; "
            "a smaller dose you can repeat turns it down.",
            "A small rise in pain during a walk that settles by the next morning is "
            "acceptable. Pain that climbs past a gentle whisper, or is still up the "
            "next day, is the signal to ease off.",
        ),
        sources=("seed", "silbernagel2007"),
    ),
    Lesson(
        slug="posture",
        title="Walking posture: stack, swing, look ahead",
        summary="Ears over shoulders over hips over ankles, a gentle arm swing, even steps.",
        paragraphs=(
            "Imagine a line running from your ears through your shoulders and hips down "
            "to your ankles. Let each part rest over the one below.",
            "Swing your arms gently and keep your eyes on the path ahead rather than "
            "your feet. Aim for steps that feel the same on both sides: symmetry, not "
            "speed.",
            "In the Stabilize phase, lengthen your stride only to the edge of comfort "
            "and begin breathing through your nose. In the Strengthen phase, squeeze "
            "your buttock muscles at mid-stride and roll from heel to toe.",
        ),
        sources=("seed",),
    ),
    Lesson(
        slug="footwear",
        title="Shoes that support you",
        summary="Soft is not the same as supportive: look for a moderate heel drop and firm arch support.",
        paragraphs=(
            "Thick cushioning can feel kind but still let your foot roll and your back "
            "work harder. Shoes with worn-out soles do the same.",
            "Choose shoes with a moderate heel drop and firm support under the arch. "
            "Leave barefoot-style shoes for later, once walking is comfortable.",
        ),
        sources=("seed",),
    ),
    Lesson(
        slug="recovery",
        title="Recovery: the cooldown and the morning after",
        summary="Two minutes of standing decompression after each walk, and a check of how you feel 12-24 hours later.",
        paragraphs=(
            "Finish every walk with two minutes of standing spinal decompression: stand "
            "tall with soft knees, reach both arms overhead and breathe slowly and "
            "deeply.",
            "How your back feels the next morning tells more than how it felt during "
            "the walk. That is why WalkWell asks for a short check-in 12 to 24 hours "
            "later: pain, morning stiffness, sleep and focus.",
            "The dose grows only when a week of walks has settled well. If your "
            "mornings are worse, the plan holds or steps back until they settle.",
        ),
        sources=("seed", "silbernagel2007", "gabbett2016"),
    ),
    Lesson(
        slug="when-to-stop",
        title="When to stop and get help",
        summary="Some signs mean pause and see a professional; a few mean get care today.",
        paragraphs=(
            "Pause the program and see a physiotherapist or a musculoskeletal "
            "specialist if pain travels down a leg, if you feel numbness or tingling "
            "during or after walking, or if pain grows with every step instead of "
            "easing.",
            "Get medical help today if you have a fever or feel unwell with your back "
            "pain, or notice new weakness or loss of feeling in a leg.",
            "Go to an emergency department now if you notice numbness between your legs "
            "or around your bottom, new trouble with your bladder or bowel, a new loss "
            "of sexual sensation, symptoms in both legs, or both legs getting weaker. "
            "These can be signs of cauda equina syndrome, which needs treatment within "
            "hours.",
            "WalkWell asks about these signs when you start, in every check-in and "
            "after every walk, and stops prescribing walks until a clinician has seen "
            "you.",
        ),
        sources=("seed", "nice_ng59", "girft_ces"),
    ),
    Lesson(
        slug="fear-of-movement",
        title="When moving feels risky",
        summary="Worry that movement will harm your back is common, understandable, and can ease with small safe steps.",
        paragraphs=(
            "After months of back pain it is natural to expect that bending, lifting "
            "or a longer walk will make things worse. Many people start avoiding "
            "them. Less movement then leaves the back stiffer and more sensitive, "
            "which seems to confirm the worry.",
            "Pain in long-lasting back pain is a poor guide to damage: it says the "
            "alarm is sensitive, not that the spine is fragile. Backs are strong.",
            "The way out is gradual: choose a movement you have been avoiding, do a "
            "small amount of it that feels manageable, notice that it went fine, and "
            "repeat. A physiotherapist can help you plan these steps and talk through "
            "the worries that come with them.",
        ),
        sources=("nice_ng59", "hill2008"),
    ),
    Lesson(
        slug="pacing",
        title="Pacing: steady days, not boom and bust",
        summary="Do about the same each day, good day or bad, and grow it slowly.",
        paragraphs=(
            "On a good day it is tempting to do everything at once; the next days pay "
            "for it, and a bad day becomes a day of rest. That swing keeps pain high "
            "and the plan stuck.",
            "Pacing means a similar amount each day, set by what you can repeat "
            "rather than by how you feel that morning, with breaks before pain builds.",
            "Grow the amount in small planned steps, as WalkWell's walks do: a little "
            "more each week once the last step has settled.",
        ),
        sources=("seed", "nice_ng59"),
    ),
)

BY_SLUG = {lesson.slug: lesson for lesson in LESSONS}


def lesson_for(plan: DayPlan) -> Lesson:
    """The lesson that fits the day; which one is the protocol's choice (``lessons``)."""
    return BY_SLUG[plan.lesson]
