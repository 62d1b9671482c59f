/**
 * Given names that are the same name to the people who use them: the formal
 * name and its familiar forms ("William", "Bill", "Billy", "Will"). A pair of
 * given names in one group is the "known as" level of the given-name
 * comparison. Groups overlap ("Alex" is Alexander and Alexandra), so a name
 * may be in several. Lower case, as names are compared.
 */
const groups: readonly string[] = [
  'william bill billy will willy liam',
  'robert bob bobby rob robbie bert',
  'richard dick rick ricky rich richie',
  'james jim jimmy jamie jim',
  'john jack johnny jon',
  'jonathan jon jonny',
  'thomas tom tommy',
  'joseph joe joey',
  'michael mike mick mickey micky',
  'daniel dan danny',
  'matthew matt matty',
  'christopher chris kit',
  'christine chris chrissy christina tina',
  'nicholas nick nicky',
  'anthony tony ant',
  'benjamin ben benny benji',
  'samuel sam sammy',
  'samantha sam sammy',
  'alexander alex alec sandy xander',
  'alexandra alex alexa lexi sandra',
  'andrew andy drew',
  'edward ed eddie ted teddy ned',
  'henry harry hal hank',
  'harold harry hal',
  'charles charlie chuck chas',
  'charlotte charlie lottie lotty',
  'frederick fred freddie freddy',
  'frances fran frankie',
  'francis frank frankie',
  'george georgie',
  'georgia georgie',
  'david dave davey',
  'stephen steve stevie',
  'steven steve stevie',
  'peter pete',
  'patrick pat paddy',
  'patricia pat patty trish tricia',
  'joshua josh',
  'jacob jake',
  'nathan nate',
  'nathaniel nate nat',
  'oliver ollie olly',
  'olivia liv livvy',
  'timothy tim timmy',
  'lewis lou louie',
  'louis lou louie',
  'louise lou lou-lou',
  'kenneth ken kenny',
  'ronald ron ronnie',
  'donald don donnie',
  'raymond ray',
  'gerald gerry',
  'terence terry',
  'leonard leo len lenny',
  'zachary zach zak',
  'elizabeth liz lizzie lizzy beth betty bess libby eliza',
  'margaret maggie meg peggy marge',
  'catherine cath cathy kate katie kat',
  'katherine kath kathy kate katie kat',
  'kathleen kath kathy kate',
  'rebecca becky becca',
  'jennifer jen jenny',
  'jessica jess jessie',
  'victoria vicky tori',
  'abigail abi abby gail',
  'deborah debbie deb',
  'susan sue suzy',
  'suzanne sue suzy',
  'amanda mandy',
  'jacqueline jackie jacqui',
  'eleanor ellie nell nora',
  'ellen ellie nell',
  'isabella bella izzy issy',
  'isabel bella izzy issy',
  'isobel bella izzy issy',
  'gabriella gabby ella',
  'natalie nat',
  'natasha tasha nat',
  'daniella dani',
  'danielle dani',
  'josephine jo josie',
  'joanne jo jo-jo',
  'joanna jo',
  'hannah hanna',
  'sophie soph',
  'sophia soph',
  'amelia millie amy',
  'emily em emmy millie',
  'emma em',
  'mary molly polly',
  'sarah sally sal',
  'helen nell',
  'dorothy dot dotty',
  'theresa tess tessa terri',
  'jade jadey',
  'kayleigh kay',
  'leanne lee',
  'stacey stace',
  'megan meg',
  'ashley ash',
  'jordan jord',
  'mohammed mohammad muhammad mohamed mo',
  'muhammad mohammed mohamed mo',
];

const byName = new Map<string, Set<number>>();
groups.forEach((group, i) => {
  for (const name of group.split(' ')) {
    const set = byName.get(name) ?? new Set<number>();
    set.add(i);
    byName.set(name, set);
  }
});

/** True when the two (normalised) given names are forms of one name. */
export function areNicknames(a: string, b: string): boolean {
  const ga = byName.get(a);
  if (!ga) return false;
  const gb = byName.get(b);
  if (!gb) return false;
  for (const g of ga) if (gb.has(g)) return true;
  return false;
}

/** The familiar forms of a name (for the synthetic data's "known as" errors). */
export function familiarForms(name: string): string[] {
  const found = new Set<string>();
  for (const g of byName.get(name.toLowerCase()) ?? []) {
    for (const n of groups[g]?.split(' ') ?? []) if (n !== name.toLowerCase()) found.add(n);
  }
  return [...found];
}
