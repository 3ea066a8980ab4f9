/**
 * Name pools for a multinational company, chosen to exercise what breaks imports:
 * umlauts and ß, accents, apostrophes (O'Brien), hyphenated and multi-word surnames,
 * Polish and Turkish letters, and non-Latin scripts. Every name carries a Latin form,
 * used for the e-mail local part (a romanisation for non-Latin scripts).
 */

export interface NamePart {
  /** As it appears in Personio. */
  readonly native: string;
  /** Latin-script form the e-mail address is derived from. */
  readonly latin: string;
}

/** Some languages inflect surnames by gender (Kowalski/Kowalska, Иванов/Иванова). */
export interface Surname {
  readonly male: NamePart;
  readonly female: NamePart;
}

export interface NameLocale {
  readonly key: string;
  /** Relative share of the workforce. */
  readonly weight: number;
  readonly female: readonly NamePart[];
  readonly male: readonly NamePart[];
  readonly surnames: readonly Surname[];
  /** Share of hyphenated double surnames (Müller-Lüdenscheidt). */
  readonly doubleSurnameRate: number;
}

/** Latin-script names: the Latin form is the name itself. */
const latin = (...names: string[]): NamePart[] => names.map((n) => ({ native: n, latin: n }));
/** "native:latin" pairs for non-Latin scripts. */
const romanised = (...pairs: string[]): NamePart[] =>
  pairs.map((pair) => {
    const [native = '', roman = ''] = pair.split(':');
    return { native, latin: roman };
  });
const unisex = (parts: NamePart[]): Surname[] => parts.map((p) => ({ male: p, female: p }));
/** "male/female" surname forms. */
const gendered = (parts: NamePart[]): Surname[] =>
  parts.map((p) => {
    const [m = '', f = m] = p.native.split('/');
    const [lm = '', lf = lm] = p.latin.split('/');
    return { male: { native: m, latin: lm }, female: { native: f, latin: lf } };
  });

export const nameLocales: readonly NameLocale[] = [
  {
    key: 'de',
    weight: 34,
    female: latin(
      'Anna',
      'Lena',
      'Sophie',
      'Marie',
      'Hannah',
      'Käthe',
      'Jördis',
      'Anna-Lena',
      'Katharina',
      'Leonie',
      'Annegret',
      'Grete',
      'Lea-Sophie',
      'Ursula',
    ),
    male: latin(
      'Lukas',
      'Jürgen',
      'Jörg',
      'Björn',
      'Sören',
      'Maximilian',
      'Jens',
      'Uwe',
      'Günther',
      'Matthias',
      'Hans-Peter',
      'Karl-Heinz',
      'Felix',
      'Horst',
    ),
    surnames: unisex(
      latin(
        'Müller',
        'Schmidt',
        'Schneider',
        'Fischer',
        'Weiß',
        'Groß',
        'Köhler',
        'Schäfer',
        'Krüger',
        'Hoffmann',
        'Wagner',
        'Becker',
        'Schulz',
        'Meißner',
        'Strauß',
        'Jäger',
        'Vogel',
        'Zimmermann',
        'Böhm',
        'von Oertzen',
        'Lüdenscheidt',
        'Özkan',
      ),
    ),
    doubleSurnameRate: 0.06,
  },
  {
    key: 'fr',
    weight: 9,
    female: latin('Émilie', 'Hélène', 'Zoé', 'Anaïs', 'Céline', 'Maëlle', 'Chloé', 'Inès', 'Marie-Claire'),
    male: latin('François', 'Jérôme', 'Loïc', 'Benoît', 'Théo', 'Noël', 'Jean-Luc', 'Gaëtan', 'Raphaël'),
    surnames: unisex(
      latin(
        'Lefèvre',
        'Dubois',
        'Bérénger',
        'Girard',
        'Moreau',
        'Rousseau',
        'Faure',
        'Mercier',
        'de la Fontaine',
        'Gagné',
        'Lemaître',
      ),
    ),
    doubleSurnameRate: 0.04,
  },
  {
    key: 'es',
    weight: 8,
    female: latin('María', 'Lucía', 'Inés', 'Sofía', 'Begoña', 'María José', 'Nuria', 'Ainhoa'),
    male: latin('José', 'Adrián', 'Martín', 'Álvaro', 'Raúl', 'Íñigo', 'Joaquín', 'Rubén'),
    surnames: unisex(
      latin(
        'García',
        'Fernández',
        'Núñez',
        'Peña',
        'Muñoz',
        'Gómez',
        'Rodríguez',
        'Martínez López',
        'Ibáñez',
        'Sáenz de Santamaría',
      ),
    ),
    doubleSurnameRate: 0.1,
  },
  {
    key: 'ie',
    weight: 5,
    female: latin('Siobhán', 'Aoife', 'Niamh', 'Róisín', 'Saoirse', 'Caoimhe'),
    male: latin('Seán', 'Ciarán', 'Pádraig', 'Eoin', 'Oisín', 'Darragh'),
    surnames: unisex(
      latin(
        "O'Brien",
        "O'Connor",
        'Ó Súilleabháin',
        'McCarthy',
        'Murphy',
        "O'Neill",
        'Kelly',
        "D'Arcy",
        'Mac Giolla Phádraig',
      ),
    ),
    doubleSurnameRate: 0.02,
  },
  {
    key: 'en',
    weight: 8,
    female: latin('Olivia', 'Emily', 'Charlotte', 'Amelia', 'Grace', 'Mary-Kate'),
    male: latin('James', 'Jack', 'Oliver', 'Harry', 'William', 'Thomas'),
    surnames: unisex(
      latin('Smith', 'Johnson', 'Taylor', 'Brown', 'Williams', 'Davies', 'Evans', 'Smith-Jones'),
    ),
    doubleSurnameRate: 0.05,
  },
  {
    key: 'pl',
    weight: 7,
    female: latin('Małgorzata', 'Agnieszka', 'Katarzyna', 'Zofia', 'Łucja', 'Jadwiga', 'Grażyna'),
    male: latin('Łukasz', 'Wojciech', 'Paweł', 'Grzegorz', 'Jędrzej', 'Krzysztof', 'Michał'),
    surnames: gendered(
      latin(
        'Kowalski/Kowalska',
        'Wiśniewski/Wiśniewska',
        'Wójcik',
        'Kamiński/Kamińska',
        'Lewandowski/Lewandowska',
        'Zieliński/Zielińska',
        'Dąbrowski/Dąbrowska',
        'Łuczak',
        'Król',
        'Szczęsny/Szczęsna',
      ),
    ),
    doubleSurnameRate: 0.05,
  },
  {
    key: 'tr',
    weight: 7,
    female: latin('Çağla', 'Şule', 'Ayşe', 'Büşra', 'Özlem', 'Gülşen', 'İpek'),
    male: latin('Ömer', 'Gökhan', 'İlker', 'Mehmet', 'Ünal', 'Uğur', 'Çağrı'),
    surnames: unisex(
      latin('Yılmaz', 'Öztürk', 'Çelik', 'Şahin', 'Doğan', 'Aydın', 'Kılıç', 'Arslan', 'Güneş', 'Özdemir'),
    ),
    doubleSurnameRate: 0,
  },
  {
    key: 'ja',
    weight: 4,
    female: romanised('陽菜:Hina', 'さくら:Sakura', '美咲:Misaki', '結衣:Yui', '愛子:Aiko'),
    male: romanised('翔太:Shota', '大輝:Daiki', '健一:Kenichi', '蓮:Ren', '悠斗:Yuto'),
    surnames: unisex(
      romanised('佐藤:Sato', '鈴木:Suzuki', '高橋:Takahashi', '田中:Tanaka', '渡辺:Watanabe', '伊藤:Ito'),
    ),
    doubleSurnameRate: 0,
  },
  {
    key: 'zh',
    weight: 4,
    female: romanised('芳:Fang', '娜:Na', '静:Jing', '秀英:Xiuying', '丽:Li'),
    male: romanised('伟:Wei', '磊:Lei', '强:Qiang', '建国:Jianguo', '浩然:Haoran'),
    surnames: unisex(
      romanised('王:Wang', '李:Li', '张:Zhang', '刘:Liu', '陈:Chen', '杨:Yang', '欧阳:Ouyang'),
    ),
    doubleSurnameRate: 0,
  },
  {
    key: 'ru',
    weight: 5,
    female: romanised('Наталья:Natalya', 'Ольга:Olga', 'Татьяна:Tatyana', 'Юлия:Yulia', 'Ксения:Ksenia'),
    male: romanised('Алексей:Aleksei', 'Дмитрий:Dmitry', 'Сергей:Sergey', 'Юрий:Yuri', 'Фёдор:Fyodor'),
    surnames: gendered(
      romanised(
        'Иванов/Иванова:Ivanov/Ivanova',
        'Смирнов/Смирнова:Smirnov/Smirnova',
        'Кузнецов/Кузнецова:Kuznetsov/Kuznetsova',
        'Соколов/Соколова:Sokolov/Sokolova',
        'Лебедев/Лебедева:Lebedev/Lebedeva',
        'Шевченко:Shevchenko',
      ),
    ),
    doubleSurnameRate: 0,
  },
  {
    key: 'el',
    weight: 4,
    female: romanised('Μαρία:Maria', 'Ελένη:Eleni', 'Κατερίνα:Katerina', 'Σοφία:Sofia'),
    male: romanised('Γιώργος:Giorgos', 'Δημήτρης:Dimitris', 'Νίκος:Nikos', 'Κώστας:Kostas'),
    surnames: gendered(
      romanised(
        'Παπαδόπουλος/Παπαδοπούλου:Papadopoulos/Papadopoulou',
        'Οικονόμου:Oikonomou',
        'Γεωργίου:Georgiou',
        'Καραγιάννης/Καραγιάννη:Karagiannis/Karagianni',
        'Νικολάου:Nikolaou',
      ),
    ),
    doubleSurnameRate: 0,
  },
  {
    key: 'ar',
    weight: 5,
    female: romanised('فاطمة:Fatima', 'ليلى:Layla', 'مريم:Maryam', 'نور:Nour', 'ياسمين:Yasmin'),
    male: romanised('محمد:Mohammed', 'أحمد:Ahmed', 'يوسف:Youssef', 'عمر:Omar', 'خالد:Khaled'),
    surnames: unisex(
      romanised(
        'العلي:Al-Ali',
        'حسن:Hassan',
        'الخطيب:Al-Khatib',
        'منصور:Mansour',
        'عبدالله:Abdullah',
        'الحسيني:Al-Husseini',
      ),
    ),
    doubleSurnameRate: 0,
  },
];

/** Letters that do not decompose into base letter + combining mark. */
const specialLetters: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ß: 'ss',
  ł: 'l',
  ı: 'i',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  đ: 'd',
};

/**
 * The e-mail local-part form of a Latin name: German-style umlaut spelling (Müller → mueller),
 * other accents dropped, apostrophes and spaces removed, hyphens kept.
 */
export function emailLocalPart(latinName: string): string {
  const lower = latinName.toLowerCase().replace(/[äöüßłıøæœđ]/g, (ch) => specialLetters[ch] ?? ch);
  return lower
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9-]/g, '');
}
