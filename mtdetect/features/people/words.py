"""Word lists and patterns the people analysis reads: facts about given names, titles, ranks,
offices and person nouns, never particular stories' people."""

from __future__ import annotations

import re


MALE, FEMALE = "male", "female"

# Common given names whose gender is clear in the languages WMT-style news is written or
# translated from. Names used for both sexes (Alex, Jean, Jan, Kim, Andrea, Nikola, Yuki, ...)
# are left out on purpose: a wrong guess here would turn into a false alarm.
MALE_GIVEN_NAMES = frozenset(
    """
    Aaron Abdullah Abraham Adam Adrian Ahmad Ahmed Akio Alan Albert Alberto Aleksandr Aleksandar
    Alessandro Alexander Alexandre Alexei Alexey Alfred Ali Alistair Aleš Anatoly Andre André
    Andreas Andrei Andrej Andrew Andrey Andriy Angelo Anthony Antoine Anton Antonio Antony
    Anatoli Arnold Arthur Atsushi Barack Barry Ben Benjamin Bernard Bernd Bill Bob Bogdan Boris
    Brad Bradley Brandon Brendan Brett Brian Bruce Bruno Bryan Carl Carlo Carlos Charles Christian
    Christoph Christopher Claudio Clint Colin Craig Dan Daniel Daisuke  Damian Damien Daniele
    Danny Dave David Dean Denis Dennis Derek Diego Dieter Dmitri Dmitriy Dmitry Dominic Donald
    Doug Douglas Duncan Dustin Dwight Edgar Eduard Eduardo Edward Edwin Eiji Emil Emmanuel Enrique
    Eric Erik Ernest Ernst Esteban Ethan Eugene Evan Evgeny Fabian Felix Fernando Filip Florian
    Francesco Francis Francisco Franco Frank Franz František Fred Frederick Friedrich Fumio
    Gabriel Gareth Gary Gavin Geoffrey George Georg Gerald Gerhard Giorgio Giovanni Giuseppe
    Gordon Graham Greg Gregory Guillaume Günter Gustav Hans Harald Harold Harrison Harry Haruki
    Hassan Hayato Heinz Helmut Henri Henry Herbert Hideki Hideo Hiroki Hiroshi Hirofumi Horst
    Howard Hugh Hugo Hussein Ian Ibrahim Ichiro Igor Ilya Isaac Ivan Jack Jacob Jakub Jacques
     James Jaroslav Jason Javier Jeff Jeffrey Jens Jeremy Jerome Jiro Jiří Joachim Joe
    Johann Johannes John Johnny Jon Jonas Jonathan Jorge José Josef Joseph Joshua Juan Julian
    Julius Junichiro Jürgen Justin Kamil Karel Karl Kazuki Kazuo Keisuke Keith Ken Kenichi
    Kenji Kenneth Kenta Kentaro Kevin Khalid Kirill Klaus Koichi Koji Konstantin Kosuke Kurt
    Larry Lars Leon Leonard Leonardo Leonid Lewis Liam Lorenzo Louis Luboš Luca Lucas Luigi Luis
    Lukas Lukáš Luke Mahmoud Manuel Marcel Marco Marcus Mario Mark Marko Markus Martin Masahiro
    Masao Matej Matěj Mateusz Mathias Matt Matteo Matthew Matthias Max Maxim Maxime Michael
    Michal Michel Miguel Mikhail Milan Milos Miloš Miroslav Mohamed Mohammad Mohammed Muhammad
    Mustafa Naoki Naoya Nathan Neil Nicholas Nick Nicolas Nikolai Nikolay Noah Nobuo Norbert
    Olaf Oleg Oleksandr Oleksiy Oliver Omar Ondřej Oscar Osamu Oskar Otto Owen Pablo Patrick
    Paul Paulo Pavel Pedro Peter Petr Petro Philip Philipp Philippe Pierre Pietro Piotr Rafael
    Ralph Ramon Randy Raul Raymond Recep Reinhard Ricardo Richard Rick Robert Roberto Rodrigo
    Roger Roland Roman Ronald Ross Rudolf Russell Ryan Ryota Ryosuke Salman Samuel Satoshi Scott
    Sean Sebastian Sebastián Seiji Serge Sergei Sergey Sergio Sergiy Seth Shigeru Shinichi Shinji
    Shinzo Shohei Shota Shunsuke Sigmar Simon Stanislav Stefan Stephen Steve Steven Stuart
    Sven Sylvester Tadashi Takahiro Takashi Takeshi Takuya Taro Tatsuya Ted Tetsuya Theodore
    Thomas Tim Timothy Tobias Todd Tom Tomas Tomasz Tomáš Tomoya Tony Toshiaki Toshihiro Toshio
    Travis Tyler Uwe Václav Valentin Vasily Viktor Vincent Vitaly Vitali Vladimir Vladimír
    Vladislav Volker Volodymyr Vojtěch Walter Warren Wayne Werner Wilhelm William Wolfgang
    Xavier Yaroslav Yasuo Yevgeny Yoichi Yoshiaki Yoshihide Yoshihiko Yoshio Youssef Yukio
      Yusuke Yuto Yuzuru Zach Zachary Zdeněk Zbigniew
    """.split()
)
FEMALE_GIVEN_NAMES = frozenset(
    """
    Abigail Ada Adéla Adriana Agnes Agnieszka Aiko Aisha Akiko Alena Alexandra Alessandra Alice
    Alicia Alina Alison Allison Alla Amanda Amelia Amy Ana Anastasia Anastasiya Angela Angelika
    Angelina Anita Ann Anna Annalena Anne Annette Annie Antonia Asuka Aya Ayaka Ayumi Barbara
    Barbora Beatrice Beatriz Becky Bettina Betty Beverly Birgit Brenda Bridget Brigitte Camila
    Carla Carmen Carolina Caroline Catherine Cecilia Celine Charlotte Chiara Christina Christine
    Cindy Claire Clara Claudia Colette Cristina Cynthia Dagmar Daniela Deborah Denise Diana Diane
    Dolores Donna Doris Dorothy Edith Ekaterina Elena Eleanor Elisabeth Elisa Eliška Elizabeth
    Ella Ellen Elsa Elzbieta Emiko Emilia Emily Emma Erika Erin Esther Eva  Evgenia Fatima
    Francesca Gabriela  Galina Gisela Giulia Gloria Grace Gudrun Hana Hanna Hannah
    Haruka Heather Heidi Heike Helen Helena Helga  Hillary Hiroko Hitomi Ilse Ingrid
    Irena Irene Irina Isabel Isabella Isabelle Ivana Iveta Jacqueline Jana Jane Janet Janice
    Jaroslava Jennifer Jenny Jessica Jill Jitka Joanna Joanne Johanna Josephine Joyce Judith Judy
    Julia Julie Juliet Junko Justyna  Karin Karina Karolína Katarzyna Kate Kateřina
    Katherine Kathleen Kathryn Katie Katja Katrin Katrina Kazuko Keiko  Klára Kristina
    Kristýna Kseniya Ksenia Kumiko Kyoko Larisa Laura Lauren Lea Leah Lena Lenka Lilia Lily Linda
    Lisa Liudmila Liz Lorena Louise Lucia Lucie Lucy Ludmila Luisa Lydia Lyudmila Madeleine
    Magdalena  Mallory Malgorzata Margaret Margarita Maria María Mariana Marianne Marie Marina
    Mariko Marilyn Marina  Marisa Markéta Marta Martha Martina Mary Masako Mayumi Megan
    Megumi Melanie Melissa Mia Michaela Michelle Michiko Milena Miriam Misaki Monica Monika Nadia
    Nadezhda Nancy Nanami Naoko Naomi Natalia Natalie Natalya Natasha Nicole Nina Noriko Oksana
    Olena Olga Olivia Pamela Patricia Paula Pauline Pavla Petra Polina Rachel Radka Rebecca
    Regina Reiko Renata Rina Rita Rosa Rosemary Ruth Sabine Sachiko Sakura Sally Samantha Sandra
    Sara Sarah Sharon Sheila Shirley Silvia Simona  Sofia Sofía Sonia Sophia Sophie
    Stephanie Susan Susanne Suzanne Svetlana Sylvia Šárka Tamara Tanya Tatiana Tatyana Teresa
    Tereza Theresa Tiffany Tomoko Ursula Valentina Valeria Vanessa Vera Věra Veronica Veronika
    Victoria Viktoria Viktoriya Virginia  Wanda Wendy Yekaterina Yelena Yoko Yuka Yuko
    Yulia Yuliya Yumiko Yuriko Zoe Zofia Zuzana Chloe Ava Amelie Scarlett Abby Alexa Alyssa Brooke
    Caitlin Danielle Gabrielle Jasmine Kayla Kylie Leila Melania Meghan Paige Priyanka Selena Serena
    Kamala Ilhan Greta Jacinda Sanna Mette Giorgia Camilla Beyoncé Rihanna Madeleine Agathe
    Ingeborg Ulrike Annegret Franziska Kerstin Manuela Nadine Susanna Ewa Anja Daria Darya Alisa
    Yana Zhanna Inna Alla Lilia Raisa Zinaida Lyubov Nadya Valeriya Kristina Anastasia Vasilisa
    """.split()
)
# Courtesy titles: gendered ones carry a gender, the others only say "this is a person".
COURTESY_TITLES = {
    "Mr": MALE, "Mister": MALE, "Messrs": None, "Mrs": FEMALE, "Ms": FEMALE, "Miss": FEMALE,
    "Mme": FEMALE, "Mlle": FEMALE, "Madam": FEMALE, "Madame": FEMALE, "Mx": None, "Dr": None, "Prof": None,
}
# Courtesy titles whose dotted and undotted spellings are a house-style choice.
DOTTABLE_TITLES = frozenset({"Mr", "Mrs", "Ms", "Mx", "Dr"})
# Ranks and religious titles that fix a gender as firmly as a given name does.
GENDERED_RANKS = {
    "King": MALE, "Prince": MALE, "Duke": MALE, "Emperor": MALE, "Pope": MALE, "Sheikh": MALE,
    "Sir": MALE, "Lord": MALE, "Brother": MALE, "Father": MALE, "Archduke": MALE, "Tsar": MALE,
    "Queen": FEMALE, "Princess": FEMALE, "Duchess": FEMALE, "Empress": FEMALE, "Sheikha": FEMALE,
    "Lady": FEMALE, "Dame": FEMALE, "Sister": FEMALE, "Mother": FEMALE, "Archduchess": FEMALE,
    "Tsarina": FEMALE,
}
# Capitalised office words that stand before a name ("Foreign Minister Qin", "Secretary of
# State Blinken") and are not part of it.
OFFICE_WORDS = frozenset(
    """President Vice Prime Minister Secretary State Foreign Deputy Chancellor Premier Governor
    Gov Senator Sen Representative Rep Congressman Congresswoman Ambassador Envoy Director Chief
    General Gen Colonel Col Major Maj Captain Capt Lieutenant Lt Sergeant Sgt Admiral Adm Commander
    Officer Commissioner Chairman Chairwoman Chair Speaker Mayor Judge Justice Attorney Pastor
    Bishop Archbishop Cardinal Reverend Rev Saint Coach Manager Spokesman Spokeswoman Spokesperson
    Head Leader Senior Assistant Acting Former Late Doctor Professor Agent Inspector Detective
    Superintendent Marshal Patriarch Rabbi Imam Councillor Councilor Minister Secretary-General
    Defense Defence Finance Interior Trade Health Education Justice National Security Executive
    Managing Mr Mrs Ms Miss Mx Dr Prof Mme Mlle Madam Madame Mister Messrs Chairperson
    Opposition Party Communist Democratic Republican Labour Conservative Liberal Green""".split()
) | frozenset(GENDERED_RANKS)
# Words that make a capitalised run a place, body or event rather than a person, wherever
# they stand in it. Words that are also common surnames (Park, Hall, Church, Green) are left out.
NON_PERSON_WORDS = frozenset(
    """House Department Ministry University College School Street Road Avenue Square Party
    Council Committee Commission Company Corporation Corp Inc Ltd Co Group Holdings News Times
    Herald Journal Daily Weekly Review Press Media Network Agency Office Museum Stadium Hotel
    Club Team Union Republic Kingdom States City County Province Prefecture Island Islands Sea
    Ocean Mountain Mountains Mount River Valley Gulf Coast Strait Channel Port Airport Station
    Hospital Temple Cathedral Mosque Center Centre Institute Association Federation Foundation
    Fund Forum Organization Organisation Guesthouse Palace Garden Gardens Airlines Airways Motors
    Express Systems Technologies Energy Financial Capital Partners Award Awards Cup League
    Championship Championships Games Olympics Festival Conference Summit Day Week War Act Law
    Bill Treaty Agreement Accord Program Programme Project Campaign Initiative Service Services
    System Force Forces Army Navy Police Guard Command Region District Village Town Peninsula
    Desert Empire Dynasty Federal Supreme Royal International Global World Europe Asia Africa
    America Americas Pacific Atlantic Arctic Nations Reserve Exchange Market Index Cabinet
    Parliament Congress Senate Assembly Government Administration Embassy Consulate Board
    Authority Bureau Laboratory Prize Medal Trophy Show Series Film Movie Album Song Magazine
    Radio Online Facebook Twitter Google Microsoft Amazon Covid Coronavirus Omicron""".split()
)
# Words that make a run a place only when they open it ("North Korea", "New York"), since
# they are surnames at its end ("Kanye West", "Bob Newhart" aside).
PLACE_PREFIX_WORDS = frozenset(
    """North South East West Central New Saint San Santa Los Las United Great Upper Lower
    Northern Southern Eastern Western Hong St""".split()
)
# A capitalised word after these is a place ("in Beijing", "from Tokyo"), not a person.
LOCATIVES = frozenset("in at from near across throughout outside inside into toward towards via".split())
# Capitalised words that are never names: sentence openers, months, days.
NOT_NAME_WORDS = frozenset(
    """The A An This That These Those There Here It Its He She His Her Him They Their Them We Our
    Us I My Me You Your But And Or Nor So Yet For In On At By To From With Without Of As If When
    While After Before Since Although Though However Meanwhile Still Also Now Then Some Many Most
    All Any Each Every Both Either Neither No Not Only Even Just What Which Who Whom Whose Where
    Why How Yes Oh Thus Therefore Moreover Furthermore Besides Instead Otherwise Indeed According
    During Under Over Into Onto Upon Between Among Against Through Across Around About Above Below
    Until Unless Because Whether Despite Including Following Such Another Other Last Next First
    Second Third One Two Three Four Five Six Seven Eight Nine Ten Several Few More Less Much
    Mr Mrs Ms Miss Mx Dr Prof Mme Mlle Mister Messrs
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Tomorrow Yesterday""".split()
)
# Lower-case particles that may sit inside a name ("Ursula von der Leyen").
NAME_PARTICLES = frozenset("von van der den de del della di da dos das du le la bin ibn al el".split())
SPEECH_VERBS = frozenset(
    """said says say told tells added adds noted notes explained explains stated states wrote
    writes asked asks replied replies argued argues insisted insists stressed stresses warned
    warns claimed claims admitted admits recalled recalls tweeted tweets commented comments
    announced announces confirmed confirms emphasised emphasized emphasizes emphasises pointed
    continued continues believes believed thinks thought hopes hoped urged urges""".split()
)
# Role nouns with a gender. Directly before a name ("actress Jane Roe") or predicated of it
# ("Ann Roe is the daughter of") they are a cue for that person; elsewhere they are another
# person the pronoun might mean.
FEMALE_NOUNS = frozenset(
    """woman girl lady mother mom mum daughter sister wife aunt grandmother grandma granddaughter
    niece girlfriend bride widow queen princess duchess actress waitress hostess heiress nun
    businesswoman chairwoman spokeswoman congresswoman policewoman sportswoman stepmother
    stepdaughter fiancée empress goddess housewife schoolgirl landlady madam mistress
    grandmother sisters-in-law sister-in-law daughter-in-law mother-in-law""".split()
)
MALE_NOUNS = frozenset(
    """man boy gentleman father dad son brother husband uncle grandfather grandpa grandson nephew
    boyfriend groom bridegroom widower king prince duke emperor monk businessman congressman
    policeman sportsman stepfather stepson fiancé schoolboy landlord brother-in-law son-in-law
    father-in-law""".split()
)
# Person nouns without a gender: any of them near a pronoun makes its antecedent unsure.
NEUTRAL_PERSON_NOUNS = frozenset(
    """person child kid baby toddler infant teenager teen youngster parent relative sibling cousin
    spouse partner friend colleague neighbor neighbour lawyer attorney official officer spokesman
    spokesperson chairman chairperson chair president minister leader chief head director manager
    employee worker member citizen resident patient doctor nurse teacher student pupil player
    coach athlete fan owner founder author writer reporter journalist correspondent editor expert
    analyst economist scientist researcher professor academic candidate judge prosecutor
    defendant suspect victim witness soldier pilot driver passenger customer client user visitor
    tourist guest host mayor governor senator lawmaker legislator politician diplomat ambassador
    envoy secretary premier chancellor executive boss actor singer artist musician star celebrity
    model dancer designer chef farmer seller buyer investor entrepreneur engineer activist
    protester volunteer survivor refugee migrant immigrant prisoner detainee inmate hostage
    captain commander general sergeant agent spy detective inspector guard firefighter paramedic
    surgeon physician pastor priest bishop cardinal imam rabbi principal dean mentor graduate
    intern individual adult youth local native opponent rival ally winner loser champion runner
    rider swimmer skier boxer fighter wrestler striker midfielder defender goalkeeper pitcher
    batter hitter rookie veteran newcomer successor predecessor deputy aide adviser advisor
    assistant consultant contractor representative delegate counterpart someone anyone everyone
    somebody anybody nobody whoever year-old baker photographer producer director presenter
    commentator blogger owner boss ceo chairman heir orphan pensioner retiree shopkeeper vendor
    worker staffer manager supervisor hero villain character narrator protagonist""".split()
)
# Nouns that bring in a person without naming one ("the marriage": a spouse).
NEUTRAL_PERSON_NOUNS |= frozenset("marriage divorce wedding engagement affair relationship breakup romance".split())
PERSON_NOUNS: dict[str, str | None] = {w: None for w in NEUTRAL_PERSON_NOUNS}
PERSON_NOUNS.update({w: FEMALE for w in FEMALE_NOUNS})
PERSON_NOUNS.update({w: MALE for w in MALE_NOUNS})

PRONOUNS = {
    "he": MALE, "him": MALE, "his": MALE, "himself": MALE,
    "she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE,
}
KIN_NOUNS = frozenset(
    """family wife husband son daughter mother father brother sister parents children kids dad
    mom mum girlfriend boyfriend fiancé fiancée widow widower uncle aunt nephew niece grandson
    granddaughter grandmother grandfather spouse relatives lawyer lawyers attorney""".split()
)
COPULAS = frozenset({"is", "was", "became", "becomes"})
DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "our", "my", "your"})
# Surname endings that only women carry: Czech "-ová"/"-ská" and Icelandic "-dóttir" on
# their own; Russian "-ova"/"-eva"/"-skaya" only after a given name (Casanova, Geneva).
FEMININE_SURNAME_RE = re.compile(r"(?:ová|ská|dóttir)$")
FEMININE_FULL_NAME_SURNAME_RE = re.compile(r"(?:ová|ská|dóttir|ova|eva|yeva|skaya)$")
# Person nouns the lists miss: "the rapper", "a saxophonist", "the co-star".
PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "ee", "ess", "man", "star", "year-old")
NOT_PERSON_SUFFIXED = frozenset(
    """other after under over never ever however whether either neither rather further together
    number water power paper letter matter order border center centre later former latter major
    minor error color colour floor door factor sector mirror horror honor honour labor labour
    favor favour flavor flavour terror government statement development moment event content
    percent agreement department parliament management environment investment equipment
    treatment payment movement element comment segment fragment incident accident current
    recent present talent intent extent different important permanent quarter winter summer
    river corner computer weather chapter register semester cancer dinner member meter metre
    offer answer disaster theater theatre monster poster cluster shelter letter filter""".split()
)
# "co-star", "ex-wife", "stepson", "great-grandmother": the noun after the prefix decides.
PERSON_PREFIXES = ("co-", "ex-", "step", "great-", "grand")
PERSON_PREFIX_RE = re.compile("(?:" + "|".join(PERSON_PREFIXES) + r")(\w[\w-]*)$")
NOT_A_PERSON = "not a person"
DETERMINERS_BEFORE_NOUN = frozenset("the a an this that his her their its our my your another one each every".split())
POSSESSIVE_PRONOUNS = {"his": MALE, "her": FEMALE}
# Each quotation mark is a token of its own (text.TOKEN_RE never puts one inside a word).
# Sentences ending without full stop, question or exclamation mark are headings or captions.
SENTENCE_END_RE = re.compile(r"[.!?…][\"”’')\]]*\s*$")
