// Plants known words in a dossier (a synthetic one, whose every word is
// common) so that the search tests have targets that one place only holds:
// a paragraph appended to the last article with a word in its middle,
// another with a phrase, another with a word written with the article,
// a note anchored in it whose body alone holds a word, and the phrase's
// words in the reverse order and far apart appended to the first article;
// and two entities, one named by a foreign name and one whose name holds it.
//
// Usage: node tests/browser/lib/plant.js DOSSIER   (the folder holding content/)
// The search tests import NEEDLES from here.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const NEEDLES = {
  // In the middle of a paragraph of the last article.
  middle: 'زبرجدستان',
  // In the body of a note on the last article, nowhere else.
  note: 'قرنفلوس',
  // A phrase in the last article; its words reversed and apart in the first one.
  phrase: ['كركدنوش', 'فستقيان', 'مرجانوف'],
  // Written with the article in the last article; searched for with
  // proclitics and tashkeel.
  clitic: 'الكهرمانيات',
  noteId: 'planted-note',
  // A foreign name: an entity named by it (in one spelling, with a Latin
  // alias), and another whose name only contains it and sorts first.
  foreign: {
    group: { id: 'zzz-planted-group', name: 'مجموعة زغرفيلدوف', aliases: ['زغرفيلدوف', 'Zograveldov'] },
    fans: { id: 'aaa-planted-fans', name: 'أنصار زغرفيلدوف' },
    // The alias in other spellings of its g and v.
    spellings: ['زجرفيلدوف', 'زقرڤيلدوف'],
  },
};

const PARAGRAPHS = [
  `يذكر هذا المقطع المضاف للاختبار كلمة ${NEEDLES.middle} في وسطه ثم يمضي إلى آخره دون غيرها.`,
  `وفي مقطع آخر ترد العبارة ${NEEDLES.phrase.join(' ')} بترتيبها ثم يستمر الكلام.`,
  `ويرد هنا ${NEEDLES.clitic} اسما لشيء متخيل لا وجود له.`,
];

function plant(root) {
  const articles = path.join(root, 'content', 'articles');
  const files = fs.readdirSync(articles).filter((f) => f.endsWith('.md')).sort();
  if (files.length < 2) throw new Error(`too few articles in ${articles}`);
  const first = path.join(articles, files[0]);
  const last = path.join(articles, files[files.length - 1]);
  const append = (file, paragraphs) => {
    const text = fs.readFileSync(file, 'utf8').replace(/\s*$/, '');
    fs.writeFileSync(file, `${text}\n\n${paragraphs.join('\n\n')}\n`);
  };
  append(last, PARAGRAPHS);
  const [a, b, c] = NEEDLES.phrase;
  append(first, [`وفي مقطع ${c} ثم كلام كثير لا صلة له بما قبله ولا بما بعده ثم ${b} وبعد ذلك ${a} معكوسة ومتباعدة.`]);
  const id = files[files.length - 1].replace(/\.md$/, '');
  const notes = path.join(root, 'content', 'annotations', `${id}.yaml`);
  const before = fs.existsSync(notes) ? fs.readFileSync(notes, 'utf8').replace(/\s*$/, '') + '\n\n' : '';
  fs.writeFileSync(
    notes,
    `${before}- id: ${NEEDLES.noteId}\n  kind: note\n  quote: اسما لشيء متخيل\n  body: |\n    ملاحظة للاختبار تذكر ${NEEDLES.note} وحدها.\n`,
  );
  const { group, fans } = NEEDLES.foreign;
  const entities = path.join(root, 'content', 'entities');
  fs.writeFileSync(path.join(entities, `${group.id}.yaml`), `name: "${group.name}"\nkind: organization\naliases: [${group.aliases.map((a) => `"${a}"`).join(', ')}]\ndescription: جماعة متخيلة للاختبار.\n`);
  fs.writeFileSync(path.join(entities, `${fans.id}.yaml`), `name: "${fans.name}"\nkind: organization\ndescription: أنصار جماعة متخيلة للاختبار.\n`);
  return { first: files[0].replace(/\.md$/, ''), last: id };
}

if (require.main === module) {
  const root = process.argv[2];
  if (!root) {
    console.error('usage: node tests/browser/lib/plant.js DOSSIER');
    process.exit(2);
  }
  console.log(JSON.stringify(plant(root)));
}

module.exports = { NEEDLES, plant };
