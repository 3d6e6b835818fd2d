import type { AreaOfNeed } from '../domain/census.ts';
import type { ProgressJudgement, ReviewDecision, TargetOutcome } from '../domain/plans.ts';
import type { CheckProgress } from '../domain/target-checks.ts';

/*
 * What the demo's plans, notes, reviews and profiles say: written for primary school children in
 * British English, as a class teacher, a teaching assistant, a SENCo, a parent or the child would write
 * it. Placeholders: {name} the child's name; {he} {him} {his} {He} {His} their pronouns; {ta} the
 * teaching assistant who works with them.
 */

export const STRENGTHS = [
  'Kind and thoughtful with younger children',
  'Loves drawing and takes great care over artwork',
  'Very knowledgeable about dinosaurs and animals',
  'Good sense of humour; gets on well with adults',
  'Enjoys PE and is a confident swimmer',
  'Tries hard and does not give up easily when interested',
  'Strong visual memory; remembers routes and routines',
  'Loves building with Lego and construction kits',
  'Enjoys being given a job and is very reliable with it',
  'Good at computing and enjoys coding activities',
  'Has a lovely singing voice and enjoys music lessons',
  'Caring friend who notices when others are upset',
  'Good mental arithmetic when numbers are small',
  'Enjoys listening to stories and joins in with repeated refrains',
  'Confident speaker about things that interest {him}',
  'Responds well to praise and to a calm, predictable adult',
  'Keen gardener: helps with the school allotment',
  'Polite and well-mannered; always says thank you',
] as const;

export const CONCERNS: Record<AreaOfNeed, readonly string[]> = {
  communication_and_interaction: [
    '{name} finds it hard to follow instructions given to the whole class and often waits to copy others.',
    '{name}’s vocabulary is limited for {his} age; {he} uses short phrases and finds it hard to explain {his} ideas.',
    '{name} finds unstructured times hard: {he} struggles to join in play and to take turns in conversation.',
    'Some of {name}’s speech sounds are not yet clear, so adults and children do not always understand {him}.',
    '{name} becomes anxious when routines change and needs warning before transitions.',
  ],
  cognition_and_learning: [
    '{name} is working well below age-related expectations in reading and writing; phonics is not yet secure.',
    '{name} finds it hard to remember number facts and needs concrete resources for most maths tasks.',
    '{name} struggles to hold information in mind long enough to complete a task independently.',
    '{name}’s spelling and handwriting make it hard for {him} to record what {he} knows.',
    '{name} finds it hard to start tasks without adult support and loses focus quickly.',
  ],
  social_emotional_and_mental_health: [
    '{name} finds it hard to manage strong feelings, particularly at lunchtime and at the end of the day.',
    '{name} has been anxious about coming into school and finds separation from {his} parent difficult.',
    '{name} finds friendships hard to keep and there have been several falling-outs at playtime.',
    '{name} can become withdrawn and does not always tell an adult when something is wrong.',
    '{name} finds it difficult to accept adult direction when {he} is tired or upset.',
  ],
  sensory_and_physical: [
    '{name}’s fine motor skills are well behind {his} peers: pencil grip, cutting and fastenings are hard.',
    '{name} is sensitive to noise and busy spaces, and finds assemblies and the dinner hall overwhelming.',
    '{name} tires quickly and finds sitting still on the carpet very difficult.',
    '{name} has a hearing loss and misses spoken information when there is background noise.',
    '{name} needs enlarged print and careful seating to access what is on the board.',
  ],
};

export const OUTCOMES: Record<AreaOfNeed, readonly string[]> = {
  communication_and_interaction: [
    'For {name} to understand and follow classroom instructions with less adult support.',
    'For {name} to share {his} ideas in a small group and be understood by adults and friends.',
    'For {name} to cope with changes in the school day using visual support.',
  ],
  cognition_and_learning: [
    'For {name} to read books at {his} phonics level with growing fluency and enjoyment.',
    'For {name} to use number facts to 10 confidently in class maths.',
    'For {name} to write simple sentences independently using taught strategies.',
  ],
  social_emotional_and_mental_health: [
    'For {name} to recognise {his} feelings and use a calming strategy with less adult help.',
    'For {name} to come into school happily and settle quickly each morning.',
    'For {name} to play with friends at lunchtime without falling out.',
  ],
  sensory_and_physical: [
    'For {name} to record {his} ideas in writing without tiring, using the right equipment.',
    'For {name} to be regulated and ready to learn after sensory breaks.',
    'For {name} to manage everyday tasks (coat, lunch, equipment) more independently.',
  ],
};

export const EHC_OUTCOME_INTRO = 'Steps towards the outcomes in section E of {name}’s EHC plan: ';

/** Resources and techniques for a target, by area. */
export const TECHNIQUES: Record<AreaOfNeed, readonly string[]> = {
  communication_and_interaction: [
    'Colourful Semantics, three times a week with {ta}',
    'Visual cue cards on a key ring; now-and-next board',
    'Talk Boost group activities; modelling by the adult',
    'Word maps and pre-teaching of topic words on Monday',
    'Social stories written with {name}; Lego-based play sessions',
    'Speech sound practice from the therapy programme, 10 minutes daily',
  ],
  cognition_and_learning: [
    'Precision teaching, 10 minutes daily with {ta}',
    'Numicon and a bead string; number line on the table',
    'Phonics catch-up group using the school’s scheme; decodable readers',
    'Word mat, sentence starters and a writing frame',
    'Task checklist with pictures; timer for short bursts',
    'Overlearning with flashcards at the start and end of the day',
  ],
  social_emotional_and_mental_health: [
    'Zones of Regulation check-in chart; calm box',
    'Break card agreed with {name}; safe space in the book corner',
    'Emotional literacy sessions (ELSA) once a week',
    'Meet and greet at the door by {ta}; job in class',
    'Worry monster and weekly check-in with the learning mentor',
    'Lunchtime club twice a week as an alternative to the playground',
  ],
  sensory_and_physical: [
    'Pencil grip, sloped board and wide-lined paper',
    'Morning sensory circuit (15 minutes) before registration',
    'Fine motor activities: playdough, threading, tweezers games',
    'Wobble cushion and movement breaks every 20 minutes',
    'Radio aid used by all adults; seating near the teacher',
    'Enlarged, high-contrast copies of slides and worksheets',
  ],
};

export const TA_SUPPORT = [
  '{ta} works with {name} for the first part of English and maths, then steps back so that {he} finishes tasks on {his} own.',
  '{ta} checks in with {name} at the start of each lesson to go over the instructions and the task checklist.',
  '{ta} runs {name}’s intervention sessions and shares a weekly note with the class teacher.',
  '{ta} supports {name} at transitions (morning, lunch, home time) and fades support as {he} gains confidence.',
  '{ta} works with {name} in a small group of three, encouraging {him} to ask a friend before asking an adult.',
] as const;

export const ACCESS_RESOURCES: Record<AreaOfNeed, readonly string[]> = {
  communication_and_interaction: [
    'Visual timetable on {his} table; now-and-next board',
    'Symbol-supported word mats for each topic',
  ],
  cognition_and_learning: [
    'Coloured overlay and cream paper; phonics mat',
    'Numicon, a number line and a 100 square in a table pot',
  ],
  social_emotional_and_mental_health: [
    'Calm box (ear defenders, timer, fidget) and a break card',
    'Feelings chart and a quiet space in the reading corner',
  ],
  sensory_and_physical: [
    'Sloped writing board, pencil grips and spring-loaded scissors',
    'Wobble cushion, ear defenders and a movement break card',
  ],
};

export const CONTRIBUTION = [
  '{name} will tell an adult when {he} needs help, using {his} card. Parents will read the home–school book each evening.',
  'Parents will come to the review meeting and share what works at home; {name} will help choose {his} rewards.',
  '{name} will practise {his} targets with the TA and show {his} work to the class teacher on Fridays.',
  'Parents and {name} will fill in the “all about me” page before each review.',
] as const;

export const AT_HOME: Record<AreaOfNeed, readonly string[]> = {
  communication_and_interaction: [
    'Talk about the day at tea time using the picture prompts sent home; play simple turn-taking games.',
    'Read a bedtime story together and ask {name} “who”, “what” and “where” questions.',
  ],
  cognition_and_learning: [
    'Read with {name} for ten minutes each evening and sign the reading record.',
    'Practise the number bond cards at home, little and often (five minutes a day).',
  ],
  social_emotional_and_mental_health: [
    'Use the same feelings words at home; talk about one good thing from the day.',
    'Keep the morning routine calm and predictable; let school know if the night has been difficult.',
  ],
  sensory_and_physical: [
    'Practise doing up the coat zip and buttons at weekends; playdough and Lego for finger strength.',
    'Make sure hearing aids are charged and in the bag each morning.',
  ],
};

/** What the child says about their plan, by the area it is about. */
export const PUPIL_VIEWS: Record<AreaOfNeed, readonly string[]> = {
  communication_and_interaction: [
    'I like the talking group with {ta}. Sometimes I don’t know what to say.',
    'I don’t like it when things change and no one tells me. I like my now-and-next board.',
    'I want to have more friends to play with. I like Lego club.',
  ],
  cognition_and_learning: [
    'I like working with {ta} in the library. I find writing hard. I want to get better at reading.',
    'Maths is my favourite. Reading is tricky. I like it when the teacher shows me first.',
    'I am good at drawing. I don’t like spellings. I like the number games with {ta}.',
  ],
  social_emotional_and_mental_health: [
    'I like playtime and football. Sometimes I get cross at lunchtime.',
    'I like helping in the classroom. I like it when {ta} says hello in the morning.',
    'Sometimes I feel worried and I don’t know why. The calm box helps.',
  ],
  sensory_and_physical: [
    'I find it hard to sit on the carpet for a long time. The wobble cushion helps.',
    'Writing makes my hand tired. I like using the laptop.',
    'The hall is too loud. I like my ear defenders.',
  ],
};

/** What the parents say about the plan, by the area it is about. */
export const PARENT_VIEWS: Record<AreaOfNeed, readonly string[]> = {
  communication_and_interaction: [
    '{name} still finds it hard to tell us about the school day. We would like ideas to help at home.',
    'We have noticed {name} is more confident talking to family. We still worry about friendships.',
    'Changes to routine are hard at home too. We agree with the targets.',
  ],
  cognition_and_learning: [
    'We are happy with the support in school. At home {name} finds reading hard and gets frustrated quickly.',
    '{name} enjoys school more than last year. We would like to know which words to practise at home.',
    'We are pleased with the progress in maths. {name}’s grandmother helps with homework on Tuesdays.',
  ],
  social_emotional_and_mental_health: [
    'Mornings are still difficult at home. We would like {name} to have a calm start to the day in school.',
    'It would help to have a message when there has been a difficult day, so we can talk about it at home.',
    '{name} talks about {ta} a lot and seems more settled this term.',
  ],
  sensory_and_physical: [
    '{name} gets very tired by the end of the day. We are glad of the movement breaks.',
    'We practise the coat zip at home and it is getting better. We agree with the plan.',
    'Noisy places are hard for {name} at home too. We would like to keep the ear defenders.',
  ],
};

export const REVIEW_PUPIL_VIEWS: Record<'good' | 'mixed' | 'hard', readonly string[]> = {
  good: [
    'I can do it on my own now! I like the stickers.',
    'I feel happy in class. I have two best friends now.',
    'It is easier now. I want to keep going to the group.',
    'I did it lots of times. {ta} said I was brilliant.',
  ],
  mixed: [
    'Some things are easier. Some things are still hard.',
    'I like the group but I miss golden time sometimes.',
    'I am getting better at asking for help.',
    'I can do it when {ta} is there.',
  ],
  hard: [
    'It is still hard. I don’t like it when everyone is looking at me.',
    'I don’t know. I want to stay with {ta}.',
    'I don’t like it. It is too hard.',
  ],
};

export const REVIEW_PARENT_VIEWS: Record<'good' | 'mixed' | 'hard', readonly string[]> = {
  good: [
    'Really pleased: {name} is proud of what {he} can do now.',
    'We have seen a big difference this term. Thank you to {ta}.',
    '{name} is much happier coming to school. We are happy with the plan.',
  ],
  mixed: [
    'Some progress, but things at home are still hard. We would like to keep the same support.',
    '{name} is calmer at home, but still says some days are hard.',
    'Pleased with some targets; the others are still a worry for us.',
  ],
  hard: [
    'We are worried that {name} is falling further behind. We would like to know what else can be done.',
    'Things have been hard at home too. We would welcome advice from a specialist.',
    '{name} says {he} does not want to come to school some days. We are concerned.',
  ],
};

export const EVIDENCE: Record<TargetOutcome, readonly string[]> = {
  achieved: [
    'Met the criteria in TA records over the last three weeks.',
    'Seen consistently in class; checked by the class teacher on three separate days.',
    'Achieved in the end-of-term check; now doing this without prompts.',
    'Met and maintained since half term (observation notes in the class file).',
  ],
  partly_achieved: [
    'Good progress: met about half the time, still needs a prompt on busy days.',
    'Managed with adult support; not yet independent.',
    'Met in the intervention group but not yet in whole-class lessons.',
    'Improving since the new strategy; not consistent yet.',
  ],
  not_achieved: [
    'Not yet met: absence this term meant fewer sessions.',
    'Little change despite daily practice; approach to be changed.',
    'Not met: still needs full adult support.',
  ],
};

export const DECISION_NOTES: Record<ReviewDecision, readonly string[]> = {
  new_plan: [
    'Carry forward the targets not yet met; new target agreed for next term.',
    'Good progress: keep the same intervention and add a new target.',
    'Continue SEN support with a new plan; review again next term.',
  ],
  extend: ['Keep the same plan for another half term.'],
  monitoring: ['Move to the monitoring list: keep the class strategies in place.'],
  leave_register: [
    'Targets met; now making expected progress with quality-first teaching.',
    'All targets achieved and progress in line with peers: parents agree to leave the register.',
  ],
  involve_agency: [
    'Refer to the educational psychology service; parents consented at the meeting.',
    'Refer to NHS speech and language therapy; parents to sign the consent form.',
    'Ask the specialist teaching service for advice on next steps; parents agree.',
  ],
  top_up_funding: [
    'Cost of provision now close to £6,000 a year: apply to the local authority for high-needs top-up.',
  ],
  ehc_request: [
    'Limited progress over several cycles despite specialist advice: request an EHC needs assessment with parents’ agreement.',
  ],
};

/** An EHC needs assessment asked for at a pupil's first or second review, before cycles of evidence. */
export const EARLY_EHC_REQUEST =
  'Needs are significant and long-standing: request an EHC needs assessment now, with parents’ agreement, and gather specialist advice for it.';

/** Who came to the next review once an agency was involved, by the words of the decision. */
export const SPECIALISTS: readonly [string, string][] = [
  ['educational psychology', 'Educational psychologist (local authority)'],
  ['speech and language', 'Speech and language therapist (NHS)'],
  ['specialist teaching', 'Specialist teacher (local authority)'],
];

export function progressTone(progress: ProgressJudgement): 'good' | 'mixed' | 'hard' {
  return progress === 'better_than_expected' || progress === 'as_expected'
    ? 'good'
    : progress === 'less_than_expected'
      ? 'mixed'
      : 'hard';
}

/** Targets written by hand (not from the bank), by area. */
export const HANDWRITTEN_TARGETS: Record<AreaOfNeed, readonly [string, string][]> = {
  communication_and_interaction: [
    [
      '{name} will ask a friend to play using “Can I play?” at lunchtime.',
      'Three times in a week, seen by the midday supervisor',
    ],
    ['{name} will answer the register with a full sentence.', 'Every morning for two weeks'],
  ],
  cognition_and_learning: [
    ['{name} will write {his} full name and the date without a model.', 'Every day for two weeks'],
    ['{name} will read the Year 2 common exception words on {his} list.', '25 of 30 read correctly'],
  ],
  social_emotional_and_mental_health: [
    ['{name} will line up at the end of play without an adult beside {him}.', '4 of 5 days'],
    ['{name} will stay in the dinner hall for the whole of lunch with {his} ear defenders.', '4 of 5 days'],
  ],
  sensory_and_physical: [
    ['{name} will change for PE independently within ten minutes.', 'In 3 of 4 PE lessons'],
    ['{name} will carry {his} lunch tray to the table without spilling.', '4 of 5 days'],
  ],
};

/**
 * Notes on a particular target as the class teacher or teaching assistant types them on a phone, keyed
 * by words of the target (the starter bank's and the handwritten ones): [going well, getting there].
 */
export const TARGET_NOTES: readonly [string, readonly string[], readonly string[]][] = [
  [
    'two-part spoken instruction',
    [
      'Followed both parts of the instruction in PE today without me repeating it.',
      'Got the coat AND the book bag at home time – both parts, first time asked.',
    ],
    ['Did the first part, needed a reminder for the second.'],
  ],
  [
    '"who", "what" and "where"',
    ['Answered who/what/where about the story in guided reading, 8/10.'],
    ['Who and what OK, “where” still tricky.'],
  ],
  [
    'sentences of five or more words',
    ['Described the beach picture with a 7-word sentence!'],
    ['Mostly 3–4 word sentences today, one longer one with modelling.'],
  ],
  [
    'take turns in a structured game',
    ['Board game group: waited for every turn, no prompts.'],
    ['Waited for {his} turn but needed reminding x3.'],
  ],
  [
    'start a conversation with a peer',
    ['Asked a Y2 child “do you want to play tag?” at lunch, all by {him}self.'],
    ['Used the opener with an adult nearby, not yet on {his} own.'],
  ],
  [
    'now-and-next board',
    ['Used the now/next board at lunch on {his} own. Settled quickly.'],
    ['Needed the board pointing to at the transition after PE.'],
  ],
  [
    'say when they do not understand',
    ['Put {his} hand up and said “I don’t understand” in maths – first time this term!'],
    ['Showed the help card once, but sat stuck for a while before that.'],
  ],
  [
    '10 new topic words',
    ['Used 4 of the new topic words correctly in the science discussion.'],
    ['Knows the words in the pre-teach group, not yet using them in class.'],
  ],
  [
    'retell a familiar story',
    ['Retold the Gruffalo in order with the picture cards, 5/5 events.'],
    ['Got the beginning and end, muddled the middle.'],
  ],
  [
    '"s" sound',
    ['“S” at the start of words 9/10 in the therapy list today.'],
    ['Good in single words, drops the “s” in sentences.'],
  ],
  [
    'listen to a partner and repeat',
    ['Repeated back what {his} partner said in paired talk – spot on.'],
    ['Listened but needed a prompt to say it back.'],
  ],
  [
    '“first”, “next” and “last”',
    ['Explained making toast with first/next/last. Lovely!'],
    ['Used “first” and “last”, forgot “next”.'],
  ],
  [
    '20 high-frequency words',
    ['Read 18/20 words on the precision teaching sheet today. Really proud of {him}self.'],
    ['Knew 12/20 words today – the “ou” words still mixed up.'],
  ],
  [
    'blend CVC words',
    ['Blended 9/10 CVC words in phonics group.'],
    ['Blending with the sound buttons, slower without them.'],
  ],
  [
    'number bonds to 10',
    ['Number bonds to 10: all 11 in under a minute!'],
    ['Bonds to 10 OK with Numicon, not yet from memory.'],
  ],
  [
    'count on from a given number',
    ['Counted on from the bigger number every time in the maths starter.'],
    ['Still counting from 1 when tired – counted on with a prompt.'],
  ],
  [
    'capital letter and a full stop',
    ['Wrote two sentences with capital letters and full stops on {his} own.'],
    ['Sentence had a capital letter but no full stop again.'],
  ],
  [
    'word mat to spell topic words',
    ['Used the word mat without being reminded in the history write-up.'],
    ['Has the word mat out but only checked it when I pointed.'],
  ],
  [
    'main points of a lesson',
    ['Recalled 3 things about the Romans at the end of the lesson with the organiser.'],
    ['Two points recalled today with the organiser.'],
  ],
  [
    'tell the time to the half hour',
    ['Half past and o’clock all correct on the clock game, 8/10.'],
    ['O’clock fine, half past still mixed up.'],
  ],
  [
    'read a book at their level',
    ['Read {his} reading book to me with hardly any help, 92% accuracy.'],
    ['Running record 85% – lots of self-correcting, which is good.'],
  ],
  [
    'number line to subtract',
    ['Used the number line to subtract without asking for help – 8/10 correct.'],
    ['Jumping the wrong way on the number line sometimes.'],
  ],
  [
    'task checklist',
    ['Finished the 10-min task with the checklist and no adult help!'],
    ['Got going with the checklist but needed a prompt halfway through.'],
  ],
  [
    '2, 5 and 10 times tables',
    ['2s and 10s out of order – all correct in the quiz.'],
    ['Fine in order, slower out of order. 5s are the tricky ones.'],
  ],
  [
    'missing number in a number sentence',
    ['Missing number problems 9/10 using counters.'],
    ['Gets it with counters, not yet without.'],
  ],
  [
    'plausible spellings of unfamiliar words',
    ['Wrote “dinasor” for dinosaur – sounded it out on {his} own!'],
    ['Some phonetic attempts, still asks for most spellings.'],
  ],
  [
    'feelings chart',
    ['Named {his} feeling at check-in (“worried”) and told me why. Great.'],
    ['Pointed to the chart with a prompt. Did not want to talk about it.'],
  ],
  [
    'calm-down strategy',
    ['Used the calm box after a fall-out at play, then rejoined the lesson.'],
    ['Breathing with me after one prompt, took a while to settle.'],
  ],
  [
    'break card',
    ['Used the break card instead of walking out – back in 5 mins.'],
    ['Left the room once today but came back without an adult fetching {him}.'],
  ],
  [
    'come into class calmly',
    ['Came in calmly and started the morning task straight away.'],
    ['Upset at drop-off, settled after 10 mins with a job.'],
  ],
  [
    'accept losing',
    ['Lost the game in PE and shook hands. Big step.'],
    ['Cross about losing but walked away instead of arguing.'],
  ],
  [
    'stay on task for 10 minutes',
    ['12 minutes on the writing task with one reminder. Timer helped.'],
    ['Good start, lost focus after about 5 mins. Timer helped a bit.'],
  ],
  [
    'talk to a trusted adult when worried',
    ['Came to find me at break to say {he} was worried about a test.'],
    ['Put a note in the worry box but did not want to talk yet.'],
  ],
  [
    'playground rules at lunchtime',
    ['Lunchtime log: no incidents all week!'],
    ['One incident at lunch; talked it through afterwards.'],
  ],
  [
    'repair a friendship',
    ['Said sorry to a friend after falling out and they played together after.'],
    ['Agreed to make up with adult help, still a bit frosty.'],
  ],
  [
    'attend school every day',
    ['Attendance 100% this half term so far.'],
    ['Late twice this week – mum says mornings are hard.'],
  ],
  [
    'change to the timetable',
    ['Coped really well with the swap to PE on Thursday – told the day before.'],
    ['Worried about the supply teacher but managed with the social story.'],
  ],
  [
    'tripod grip',
    ['Tripod grip held for the whole writing task today with the grip.'],
    ['Grip OK at the start, slipped back after 5 mins of writing.'],
  ],
  [
    'letters of their name',
    ['Name written with every letter on the line!'],
    ['Most letters formed correctly; the “a” still starts at the bottom.'],
  ],
  [
    'coat and do up the zip',
    ['Did {his} coat zip by {him}self at home time!'],
    ['Needed help starting the zip, did the rest.'],
  ],
  [
    'daily sensory circuit',
    ['Sensory circuit then settled to work within 5 mins.'],
    ['Settled after the circuit but unsettled again after lunch.'],
  ],
  [
    'scissors to cut along a curved line',
    ['Cut round the curved line neatly – kept it for the display.'],
    ['Cutting better with the spring scissors; still wobbly on curves.'],
  ],
  [
    'hearing aids all day',
    ['Told me the hearing aid battery was flat. Changed it straight away.'],
    ['Aids in all morning, took one out after lunch.'],
  ],
  [
    'enlarged-print resources',
    ['Fetched {his} enlarged copy from the tray without being asked.'],
    ['Used the enlarged print once reminded.'],
  ],
  [
    'catch a large ball',
    ['Caught 7 of 10 in PE today.'],
    ['Caught 4 of 10 – better when the thrower counts down.'],
  ],
  [
    'wobble cushion',
    ['Sat on the wobble cushion for the whole carpet session.'],
    ['About 6 minutes on the carpet, then needed a movement break.'],
  ],
  [
    'type a short piece of writing',
    ['Typed 45 words in 10 mins for the diary entry.'],
    ['Used the laptop for writing – 30 words in 10 mins.'],
  ],
  [
    'agreed route',
    ['Used the agreed route to the hall and back on {his} own.'],
    ['Needed reminding about the route at lunchtime (busy corridor).'],
  ],
  [
    '“Can I play?”',
    ['Asked “Can I play?” and joined the football – midday supervisor saw it.'],
    ['Asked once with an adult next to {him}.'],
  ],
  [
    'answer the register',
    ['Answered the register with “Good morning Mrs T, I’m here” every day this week.'],
    ['Full sentence 3 days out of 5.'],
  ],
  [
    'full name and the date',
    ['Name and date written without the model all week.'],
    ['Name fine, needed the date copying from the board.'],
  ],
  [
    'common exception words',
    ['Read 26/30 common exception words today.'],
    ['20/30 – “could/would/should” still tricky.'],
  ],
  [
    'line up at the end of play',
    ['Lined up on {his} own at the end of lunch every day this week.'],
    ['Lined up with the adult beside {him}, then walked in calmly.'],
  ],
  [
    'stay in the dinner hall',
    ['Stayed in the hall for the whole of lunch with ear defenders.'],
    ['Stayed 20 mins then asked to go to the quiet room.'],
  ],
  [
    'change for PE',
    ['Changed for PE in 8 minutes on {his} own!'],
    ['Took 15 mins – buttons are the tricky part.'],
  ],
  [
    'lunch tray',
    ['Carried the tray to the table, no spills all week.'],
    ['Carried the tray with a hand on {his} shoulder.'],
  ],
];

/** Resources and techniques for a particular target, keyed like the notes (else the area's own). */
export const TARGET_TECHNIQUES: readonly [string, string][] = [
  [
    'two-part spoken instruction',
    'Instructions chunked and given with {name}’s name first; practice games with {ta}',
  ],
  ['"who", "what" and "where"', 'Question symbols (who, what, where) in small-group story sessions'],
  ['sentences of five or more words', 'Colourful Semantics, three times a week with {ta}'],
  [
    'take turns in a structured game',
    'Turn-taking board games in a group of three; “my turn, your turn” card',
  ],
  ['start a conversation with a peer', 'Taught openers on a key ring; practised in Lego club'],
  ['now-and-next board', 'Now-and-next board on {his} table; first-then language from all adults'],
  ['say when they do not understand', '“I don’t understand” card; adults praise every time it is used'],
  ['10 new topic words', 'Word maps and pre-teaching of topic words on Monday'],
  ['retell a familiar story', 'Story sequencing cards and a story map'],
  ['"s" sound', 'Speech sound practice from the therapy programme, 10 minutes daily'],
  ['listen to a partner and repeat', 'Talk partners with a “say it back” prompt card'],
  ['“first”, “next” and “last”', 'Sequencing cards and sentence starters for recounts'],
  ['20 high-frequency words', 'Precision teaching, 10 minutes daily with {ta}'],
  ['blend CVC words', 'Phonics catch-up group using the school’s scheme; sound buttons'],
  ['number bonds to 10', 'Numicon and ten frames; daily bonds game'],
  ['count on from a given number', 'Number track and bead string; “put the big number in your head”'],
  ['capital letter and a full stop', 'Sentence checklist card on the table'],
  ['word mat to spell topic words', 'Topic word mat for every lesson'],
  ['main points of a lesson', 'Visual organiser filled in at the end of each lesson'],
  ['tell the time to the half hour', 'Geared clock; time games at the end of maths'],
  ['read a book at their level', 'Daily one-to-one reading with decodable books'],
  ['number line to subtract', 'Number line to 20 on the table; modelled jumps back'],
  ['task checklist', 'Picture task checklist; timer for short bursts'],
  ['2, 5 and 10 times tables', 'Times tables songs and flashcards, little and often'],
  ['missing number in a number sentence', 'Counters and part–whole models'],
  ['plausible spellings of unfamiliar words', 'Phonics mat and “sound it out” routine'],
  ['feelings chart', 'Zones of Regulation check-in chart at morning and afternoon registration'],
  ['calm-down strategy', 'Calm box (timer, fidget, breathing card) and a quiet corner'],
  ['break card', 'Break card agreed with {name}; safe space in the book corner'],
  ['come into class calmly', 'Meet and greet at the door by {ta}; a job to start the day'],
  ['accept losing', 'Games in a small group with a “good loser” script'],
  ['stay on task for 10 minutes', 'Visual timer and a reward chart for focused minutes'],
  ['talk to a trusted adult when worried', 'Worry box and a weekly check-in with the learning mentor'],
  ['playground rules at lunchtime', 'Lunchtime club twice a week; midday supervisor briefed'],
  ['repair a friendship', 'Restorative conversations with an adult; friendship group (ELSA)'],
  ['attend school every day', 'Morning check-in and an attendance chart shared with home'],
  ['change to the timetable', 'Social stories and a warning the day before any change'],
  ['tripod grip', 'Pencil grip and daily fine motor warm-up'],
  ['letters of their name', 'Letter formation practice with a model and wide lines'],
  ['coat and do up the zip', 'Dressing practice at home time with {ta}, backward chaining'],
  ['daily sensory circuit', 'Morning sensory circuit (15 minutes) before registration'],
  ['scissors to cut along a curved line', 'Spring-loaded scissors and thick-lined cutting sheets'],
  ['hearing aids all day', 'Radio aid used by all adults; battery check at registration'],
  ['enlarged-print resources', 'Enlarged, high-contrast copies of slides and worksheets'],
  ['catch a large ball', 'Ball skills in the gross motor group, twice a week'],
  ['wobble cushion', 'Wobble cushion and movement breaks every 20 minutes'],
  ['type a short piece of writing', 'Laptop with a typing programme, 10 minutes a day'],
  ['agreed route', 'Route practised with {ta}; clear corridors at busy times'],
  ['“Can I play?”', 'Playground buddy and a “Can I play?” prompt card'],
  ['answer the register', 'Modelled sentence on a card by {his} name on the register'],
  ['full name and the date', 'Name card and date model, then fading the model'],
  ['common exception words', 'Flashcards and precision teaching of the words on {his} list'],
  ['line up at the end of play', 'Five-minute warning and a line-up buddy'],
  ['stay in the dinner hall', 'Ear defenders and a seat at the end of a table'],
  ['change for PE', 'Visual sequence for changing; clothes with easy fastenings'],
  ['lunch tray', 'Practice with a lighter tray; table near the serving hatch'],
];

/** Notes that fit any target, by how it went; {lesson} is where it happened. */
export const ANY_TARGET_NOTES: Record<'good' | 'mixed' | 'hard', readonly string[]> = {
  good: [
    'Managed this on {his} own in {lesson} today.',
    'Third day in a row – really proud of {him}self.',
    'Did this without a prompt today. Nearly ready for the next step.',
    'Good week: met the target most days.',
  ],
  mixed: [
    'Managed with one prompt this morning; harder after lunch.',
    'Getting there – about half the time this week.',
    'Better with an adult nearby than on {his} own.',
    'Needed a reminder in {lesson} but then did it.',
  ],
  hard: [
    'Very tired today, could not remember what we did yesterday. Will recap tomorrow.',
    'Tricky morning – supply teacher, no visual timetable up. Very unsettled.',
    'Missed the session – class assembly ran over.',
    'Off day, did not want to try. Mum says a bad night.',
    'Absent Monday and Tuesday, so only one session this week.',
  ],
};

/**
 * A half-termly target check's short note on one target, by how it is going: what the class teacher
 * has seen over the half-term, not on one day. {lesson} is a lesson where it shows.
 */
export const CHECK_NOTES: Record<CheckProgress, readonly string[]> = {
  on_track: [
    'Doing this most days now without a prompt.',
    'Secure in class this half-term; on course to meet it by the review.',
    'Met it in most sessions since half-term. Keep going as we are.',
    'Clear progress since the plan started; now doing it in {lesson} too.',
    'Manages it on {his} own in small groups and nearly always in class.',
    'Good half-term: {ta} has stepped back and {he} still manages it.',
    'Consistent for the last three weeks; ready to make it a little harder.',
    'Parents see it at home as well. On track.',
  ],
  some_progress: [
    'Manages it with a prompt, not yet on {his} own. Keep the visual reminder up.',
    'About half the time this half-term; better in the mornings.',
    'Some progress in sessions with {ta}; not yet in whole-class lessons.',
    'Steadier than last half-term, but still needs an adult to get started.',
    'Up and down: good weeks and harder weeks. More practice in {lesson}.',
    'Getting there with the strategies in the plan; not yet consistent.',
    'Does it when reminded. Next step: fewer prompts.',
    'Small steps forward; absence slowed things down for two weeks.',
  ],
  not_yet: [
    'Not yet: still needs an adult beside {him} each time.',
    'Little change this half-term. To talk through with the SENCo.',
    'Finding this hard; we have broken it into smaller steps.',
    'Not seen without support yet. Trying a different approach next half-term.',
    'Several sessions missed this half-term, so little to go on. Back to daily practice.',
    'Still a long way off; {he} becomes upset when it is asked of {him}.',
    'Not yet. The group timing clashes with {lesson}: moving it.',
    'No real change since the plan started; may need more help than the plan gives.',
  ],
};

export const LESSONS = [
  'maths',
  'phonics',
  'English',
  'PE',
  'science',
  'guided reading',
  'topic',
  'art',
] as const;

/** Notes about the plan as a whole, by the class teacher. */
export const PLAN_NOTES = [
  'Parents’ evening: went through the targets with mum. She is happy with the plan.',
  'Dad says {name} has been using the timer at home for homework too.',
  'Absent 3 days with chickenpox – sessions paused.',
  'Spoke to mum at pick-up: {name} has been sleeping better.',
  'Moved {his} seat nearer the front; much better focus this week.',
  'New visual timetable made for {his} table.',
  'Grandma collected today – told her about a really good week.',
  'Class trip went well with the social story beforehand.',
] as const;

/** Notes about the plan as a whole, by the SENCo. */
export const SENCO_NOTES = [
  'Observed in maths: strategies in place and working well.',
  'Pupil progress meeting: on track with most targets; keep the same support.',
  'Phoned mum to check in: happy with progress, worried about the move to next year.',
  'Checked the provision map: {name} is in the right groups for this plan.',
] as const;

/** The one-page profile, in the child's words, written with them. */
export const LIKE_AND_ADMIRE = [
  'I am kind to my friends.',
  'I make people laugh.',
  'I am good at football.',
  'People say I am a good helper.',
  'I am good at drawing animals.',
  'I am brave when I try new things.',
  'I know lots about space.',
  'I look after my little brother.',
  'I am good at building things with Lego.',
  'I am a fast runner.',
  'My teacher says I am polite.',
  'I always say good morning to everyone.',
] as const;

export const IMPORTANT_TO_ME = [
  'My dog, Biscuit.',
  'Playing Minecraft with my cousin.',
  'My mum and my nan.',
  'Having my water bottle on my table.',
  'Going to the park at the weekend.',
  'My Pokémon cards.',
  'Sitting next to my friend at lunch.',
  'Swimming on Saturdays.',
  'Knowing what is happening next.',
  'My cat, Luna.',
  'Being on time for school.',
  'Football club on Thursdays.',
] as const;

export const SUPPORT_ME: Record<AreaOfNeed, readonly string[]> = {
  communication_and_interaction: [
    'Say my name before you tell me what to do.',
    'Show me a picture of what is happening next.',
    'Give me time to think before I answer.',
    'Tell me if something is going to change.',
  ],
  cognition_and_learning: [
    'Show me how to do it first.',
    'Let me use the number line and my word mat.',
    'Give me small steps to tick off.',
    'Let me say my sentence out loud before I write it.',
  ],
  social_emotional_and_mental_health: [
    'Let me use my break card when I feel cross.',
    'Say hello to me when I come in.',
    'Talk to me quietly, not in front of everyone.',
    'Help me when I fall out with my friends.',
  ],
  sensory_and_physical: [
    'Let me move around when I get wriggly.',
    'Let me wear my ear defenders when it is loud.',
    'Give me my pencil grip and the sloped board.',
    'Sit me near the front so I can see and hear.',
  ],
};

/** Pronouns and names put into a text. */
export function fill(text: string, values: { name: string; female: boolean; ta?: string }): string {
  const he = values.female ? 'she' : 'he';
  const him = values.female ? 'her' : 'him';
  const his = values.female ? 'her' : 'his';
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return text
    .replace(/\{name\}/g, values.name)
    .replace(/\{ta\}/g, values.ta ?? 'the teaching assistant')
    .replace(/\{He\}/g, cap(he))
    .replace(/\{His\}/g, cap(his))
    .replace(/\{he\}/g, he)
    .replace(/\{him\}/g, him)
    .replace(/\{his\}/g, his);
}
