import type { AreaOfNeed } from './census.ts';

/**
 * The starter bank every school begins with: SMART targets and class strategies written for primary
 * pupils, by area of need. Staff search it and adapt an entry instead of typing afresh; the school
 * adds its own and hides any it does not use. (Written for OpenSEND; "X" stands for the pupil.)
 */
export interface StarterEntry {
  kind: 'target' | 'strategy';
  area: AreaOfNeed;
  text: string;
  achievementCriteria?: string;
}

const t = (area: AreaOfNeed, text: string, achievementCriteria: string): StarterEntry => ({
  kind: 'target',
  area,
  text,
  achievementCriteria,
});
const s = (area: AreaOfNeed, text: string): StarterEntry => ({ kind: 'strategy', area, text });

const CI = 'communication_and_interaction' as const;
const CL = 'cognition_and_learning' as const;
const SEMH = 'social_emotional_and_mental_health' as const;
const SP = 'sensory_and_physical' as const;

export const STARTER_BANK: StarterEntry[] = [
  // Communication and interaction
  t(
    CI,
    'X will follow a two-part spoken instruction in class without a visual prompt.',
    '4 out of 5 times, observed over two weeks',
  ),
  t(
    CI,
    'X will answer simple "who", "what" and "where" questions about a short story read aloud.',
    '8 out of 10 questions answered correctly in a small group',
  ),
  t(
    CI,
    'X will use sentences of five or more words to describe a picture.',
    'In 3 of 4 sessions, recorded by the TA',
  ),
  t(
    CI,
    'X will take turns in a structured game with two peers, waiting for their turn.',
    'Across three sessions without adult prompting',
  ),
  t(
    CI,
    'X will start a conversation with a peer at playtime using a taught opener.',
    'Twice a week for three weeks, seen by the playground adult',
  ),
  t(
    CI,
    'X will use a now-and-next board to move between activities.',
    'At 4 of 5 daily transitions without distress',
  ),
  t(
    CI,
    'X will say when they do not understand, using a taught phrase or card.',
    'At least once a day for two weeks',
  ),
  t(
    CI,
    'X will learn and use 10 new topic words in the right context.',
    '8 of 10 words used correctly in speech or writing',
  ),
  t(
    CI,
    'X will retell a familiar story in the right order using picture prompts.',
    'Five key events in order, twice',
  ),
  t(
    CI,
    'X will produce the "s" sound at the start of words in structured practice.',
    '80% accuracy in therapy word lists',
  ),
  t(
    CI,
    'X will listen to a partner and repeat back one thing they said in paired talk.',
    'In 4 of 5 paired-talk activities',
  ),
  t(
    CI,
    'X will use “first”, “next” and “last” to explain a sequence of events.',
    'In 3 recounts over two weeks',
  ),
  s(
    CI,
    'Give instructions one at a time, using X’s name first, and check understanding by asking X to repeat them.',
  ),
  s(CI, 'Use visual timetables and now-and-next boards; prepare X for changes to routine.'),
  s(CI, 'Pre-teach key topic vocabulary with pictures before the lesson.'),
  s(CI, 'Allow extra thinking time (count to ten) before expecting an answer.'),
  s(CI, 'Model correct speech back to X without correcting them directly.'),
  s(CI, 'Provide a quiet, low-distraction space for focused work.'),
  s(CI, 'Use social stories to prepare for new or difficult situations.'),
  s(CI, 'Pair X with a supportive peer buddy for group work and play.'),
  // Cognition and learning
  t(
    CL,
    'X will read and spell the 20 high-frequency words on their current list.',
    '18 of 20 read and 15 of 20 spelt correctly',
  ),
  t(CL, 'X will blend CVC words using phase 3 sounds.', '9 of 10 words blended correctly, twice'),
  t(CL, 'X will recall number bonds to 10 within five seconds each.', 'All 11 bonds, on three separate days'),
  t(
    CL,
    'X will count on from a given number to add a single-digit number.',
    '8 of 10 calculations correct without counting from one',
  ),
  t(
    CL,
    'X will write a sentence with a capital letter and a full stop independently.',
    '4 of 5 sentences in independent writing',
  ),
  t(
    CL,
    'X will use a word mat to spell topic words in their writing.',
    'In 3 pieces of writing over two weeks',
  ),
  t(
    CL,
    'X will recall the main points of a lesson at its end using a visual organiser.',
    'Three points recalled in 4 of 5 lessons',
  ),
  t(CL, 'X will tell the time to the half hour on an analogue clock.', '8 of 10 times correct'),
  t(CL, 'X will read a book at their level with 90% accuracy.', 'Running record at 90% or more, twice'),
  t(CL, 'X will use a number line to subtract within 20.', '8 of 10 subtractions correct'),
  t(
    CL,
    'X will complete a short independent task (10 minutes) using a task checklist.',
    'In 4 of 5 lessons without adult help',
  ),
  t(
    CL,
    'X will know the 2, 5 and 10 times tables in order and out of order.',
    'All facts within five seconds, on two days',
  ),
  t(
    CL,
    'X will find the missing number in a number sentence up to 20 (for example 7 + _ = 12).',
    '8 of 10 correct',
  ),
  t(
    CL,
    'X will use phonics to write plausible spellings of unfamiliar words.',
    'In 3 independent pieces of writing',
  ),
  s(CL, 'Break tasks into small steps with a checklist X can tick off.'),
  s(CL, 'Use concrete apparatus (Numicon, counters, Dienes) before pictures and numbers.'),
  s(CL, 'Give overlearning: short, daily, repeated practice of key facts and words.'),
  s(CL, 'Provide writing frames, word mats and sentence starters.'),
  s(CL, 'Present information in small chunks, with visual support, and repeat key points.'),
  s(CL, 'Use coloured overlays or tinted paper where this helps X read.'),
  s(CL, 'Check understanding after instructions and give time to practise before moving on.'),
  s(CL, 'Seat X where they can see the board and be easily supported.'),
  // Social, emotional and mental health
  t(
    SEMH,
    'X will name how they are feeling using the class feelings chart.',
    'At morning and afternoon check-ins, 4 of 5 days',
  ),
  t(
    SEMH,
    'X will use a calm-down strategy (breathing, calm box) when upset, with one prompt.',
    'In 3 of 4 incidents recorded',
  ),
  t(
    SEMH,
    'X will ask for a break using their break card instead of leaving the room.',
    '4 of 5 times over two weeks',
  ),
  t(
    SEMH,
    'X will come into class calmly at the start of the day and begin the morning task.',
    '4 of 5 mornings',
  ),
  t(SEMH, 'X will play a game with a peer and accept losing without conflict.', 'In 3 observed games'),
  t(SEMH, 'X will stay on task for 10 minutes with one reminder.', 'In 4 of 5 lessons'),
  t(
    SEMH,
    'X will talk to a trusted adult when worried, using the worry box or a check-in.',
    'At least once a week for four weeks',
  ),
  t(
    SEMH,
    'X will follow the playground rules at lunchtime without an incident.',
    '4 of 5 days, from the lunchtime log',
  ),
  t(SEMH, 'X will repair a friendship after a falling-out with adult support.', 'Twice over the half term'),
  t(
    SEMH,
    'X will attend school every day, arriving on time.',
    'Attendance of 95% or more over the half term',
  ),
  t(
    SEMH,
    'X will accept a change to the timetable when warned in advance, without distress.',
    '4 of 5 changes over the half term',
  ),
  s(SEMH, 'Meet and greet X at the door each morning; a consistent adult to check in with.'),
  s(SEMH, 'Give a calm, safe space X can go to, agreed in advance, with a timer.'),
  s(SEMH, 'Praise specifically and privately; focus on what X does well.'),
  s(SEMH, 'Use emotion coaching: name the feeling, validate it, then set the limit.'),
  s(SEMH, 'Give X a job or responsibility in class to build belonging.'),
  s(SEMH, 'Warn X before changes and transitions; keep routines predictable.'),
  s(SEMH, 'Use a home–school communication book agreed with parents.'),
  s(SEMH, 'Offer structured lunchtime clubs as an alternative to the playground.'),
  // Sensory and/or physical
  t(
    SP,
    'X will hold a pencil with a tripod grip using a grip aid.',
    'Throughout a 10-minute writing task, 4 of 5 days',
  ),
  t(
    SP,
    'X will form the letters of their name correctly, sitting on the line.',
    'All letters formed correctly, three times',
  ),
  t(SP, 'X will put on their coat and do up the zip independently.', 'At 4 of 5 home times'),
  t(
    SP,
    'X will complete a daily sensory circuit and then settle to work.',
    'Settled within five minutes, 4 of 5 days',
  ),
  t(SP, 'X will use scissors to cut along a curved line.', 'Within 5 mm of the line, twice'),
  t(
    SP,
    'X will wear their hearing aids all day and tell an adult if one is not working.',
    'Every day for three weeks',
  ),
  t(
    SP,
    'X will use their enlarged-print resources independently in lessons.',
    'In every lesson over two weeks',
  ),
  t(SP, 'X will catch a large ball thrown from two metres.', '7 of 10 catches'),
  t(SP, 'X will sit on the carpet for 10 minutes using a wobble cushion.', '4 of 5 carpet sessions'),
  t(SP, 'X will type a short piece of writing using a laptop.', '50 words in 10 minutes'),
  t(
    SP,
    'X will move safely around the classroom and corridors using their agreed route.',
    'Every day for two weeks, without help',
  ),
  s(SP, 'Provide a sloped writing board, pencil grips and wide-lined paper.'),
  s(SP, 'Allow movement breaks and fidget tools agreed with X.'),
  s(SP, 'Seat X near the teacher, away from noise, facing the light (hearing and vision).'),
  s(SP, 'Reduce background noise; use a radio aid where provided.'),
  s(SP, 'Provide enlarged, high-contrast print and resources in advance.'),
  s(SP, 'Give extra time for practical tasks, dressing and moving between rooms.'),
  s(SP, 'Follow the physiotherapy or occupational therapy programme daily.'),
  s(SP, 'Check the classroom layout keeps routes clear and safe for X.'),
];
