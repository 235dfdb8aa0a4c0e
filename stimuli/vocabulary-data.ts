/**
 * The raw concept tables behind stimuli/vocabulary.ts: every name a scene may use, its parents
 * in the concept hierarchy, its synonyms, and how it is drawn.
 *
 * Object sprites are Twemoji graphics (https://github.com/jdecked/twemoji, package @twemoji/svg),
 * copyright Twitter, Inc. and other contributors, licensed CC-BY 4.0
 * (https://creativecommons.org/licenses/by/4.0/). A `sprite` of the form `custom:<id>` is a small SVG
 * of our own (stimuli/custom-sprites.ts) for concepts no emoji depicts on its own (fence, leash…).
 *
 * Names are lowercase and unique across all kinds. A concept that can play several roles (grass is a
 * background and a texture; road is a background and an object) lists them in `roles`.
 */

export interface ObjectEntry {
  name: string;
  /** Twemoji codepoint file name without '.svg' (e.g. '1f415'), or 'custom:<id>'. */
  sprite: string;
  parents: string[];
  synonyms?: string[];
}

// prettier-ignore
export const OBJECTS: ObjectEntry[] = [
  // animals
  { name: 'dog', sprite: '1f415', parents: ['mammal', 'pet'], synonyms: ['puppy', 'hound'] },
  { name: 'poodle', sprite: '1f429', parents: ['dog'] },
  { name: 'guide dog', sprite: '1f9ae', parents: ['dog'], synonyms: ['dog on a leash'] },
  { name: 'cat', sprite: '1f408', parents: ['mammal', 'pet'], synonyms: ['kitten', 'kitty'] },
  { name: 'horse', sprite: '1f40e', parents: ['mammal'], synonyms: ['pony'] },
  { name: 'cow', sprite: '1f404', parents: ['mammal'] },
  { name: 'pig', sprite: '1f416', parents: ['mammal'] },
  { name: 'sheep', sprite: '1f411', parents: ['mammal'], synonyms: ['lamb'] },
  { name: 'goat', sprite: '1f410', parents: ['mammal'] },
  { name: 'camel', sprite: '1f42a', parents: ['mammal'] },
  { name: 'elephant', sprite: '1f418', parents: ['mammal'] },
  { name: 'giraffe', sprite: '1f992', parents: ['mammal'] },
  { name: 'zebra', sprite: '1f993', parents: ['mammal'] },
  { name: 'deer', sprite: '1f98c', parents: ['mammal'] },
  { name: 'rabbit', sprite: '1f407', parents: ['mammal', 'pet'], synonyms: ['bunny'] },
  { name: 'mouse', sprite: '1f401', parents: ['mammal'], synonyms: ['mice', 'rat'] },
  { name: 'squirrel', sprite: '1f43f', parents: ['mammal'], synonyms: ['chipmunk'] },
  { name: 'monkey', sprite: '1f412', parents: ['mammal'] },
  { name: 'bear', sprite: '1f43b', parents: ['mammal'] },
  { name: 'tiger', sprite: '1f405', parents: ['mammal'] },
  { name: 'lion', sprite: '1f981', parents: ['mammal'] },
  { name: 'bird', sprite: '1f426', parents: ['animal'], synonyms: ['songbird'] },
  { name: 'duck', sprite: '1f986', parents: ['bird'] },
  { name: 'owl', sprite: '1f989', parents: ['bird'] },
  { name: 'parrot', sprite: '1f99c', parents: ['bird'] },
  { name: 'penguin', sprite: '1f427', parents: ['bird'] },
  { name: 'flamingo', sprite: '1f9a9', parents: ['bird'] },
  { name: 'rooster', sprite: '1f413', parents: ['bird'], synonyms: ['chicken', 'hen'] },
  { name: 'peacock', sprite: '1f99a', parents: ['bird'] },
  { name: 'eagle', sprite: '1f985', parents: ['bird'] },
  { name: 'fish', sprite: '1f41f', parents: ['sea animal'] },
  { name: 'tropical fish', sprite: '1f420', parents: ['fish'] },
  { name: 'shark', sprite: '1f988', parents: ['fish'] },
  { name: 'whale', sprite: '1f40b', parents: ['sea animal', 'mammal'] },
  { name: 'dolphin', sprite: '1f42c', parents: ['sea animal', 'mammal'] },
  { name: 'octopus', sprite: '1f419', parents: ['sea animal'] },
  { name: 'crab', sprite: '1f980', parents: ['sea animal'] },
  { name: 'frog', sprite: '1f438', parents: ['amphibian'], synonyms: ['toad'] },
  { name: 'snake', sprite: '1f40d', parents: ['reptile'], synonyms: ['serpent'] },
  { name: 'turtle', sprite: '1f422', parents: ['reptile'], synonyms: ['tortoise'] },
  { name: 'lizard', sprite: '1f98e', parents: ['reptile'] },
  { name: 'crocodile', sprite: '1f40a', parents: ['reptile'], synonyms: ['alligator'] },
  { name: 'caterpillar', sprite: '1f41b', parents: ['bug'] },
  { name: 'ant', sprite: '1f41c', parents: ['bug'] },
  { name: 'bee', sprite: '1f41d', parents: ['bug'], synonyms: ['honeybee'] },
  { name: 'ladybug', sprite: '1f41e', parents: ['bug'], synonyms: ['ladybird'] },
  { name: 'beetle', sprite: '1fab2', parents: ['bug'] },
  { name: 'butterfly', sprite: '1f98b', parents: ['bug'] },
  { name: 'cricket', sprite: '1f997', parents: ['bug'], synonyms: ['grasshopper'] },
  { name: 'spider', sprite: '1f577', parents: ['bug'] },
  { name: 'snail', sprite: '1f40c', parents: ['animal'] },
  // animal parts
  { name: 'paw', sprite: '1f43e', parents: ['animal part'], synonyms: ['paws', 'paw prints', 'paw print'] },
  { name: 'feather', sprite: '1fab6', parents: ['animal part'], synonyms: ['feathers', 'plume'] },
  { name: 'wing', sprite: '1fabd', parents: ['animal part'], synonyms: ['wings'] },
  { name: 'tail', sprite: 'custom:tail', parents: ['animal part'], synonyms: ['tails'] },
  // people and body parts
  { name: 'person', sprite: '1f9cd', parents: ['people'], synonyms: ['human', 'standing person', 'persons'] },
  { name: 'man', sprite: '1f468', parents: ['people'], synonyms: ['men'] },
  { name: 'woman', sprite: '1f469', parents: ['people'], synonyms: ['women', 'lady'] },
  { name: 'child', sprite: '1f9d2', parents: ['people'], synonyms: ['children', 'kid'] },
  { name: 'baby', sprite: '1f476', parents: ['people'], synonyms: ['infant', 'toddler'] },
  { name: 'old man', sprite: '1f474', parents: ['man'], synonyms: ['grandfather'] },
  { name: 'family', sprite: '1f46a', parents: ['people'] },
  { name: 'swimmer', sprite: '1f3ca', parents: ['people'], synonyms: ['swimming person'] },
  { name: 'cyclist', sprite: '1f6b4', parents: ['people'], synonyms: ['bike rider'] },
  { name: 'businessman', sprite: '1f574', parents: ['people', 'suit'], synonyms: ['man in a suit'] },
  { name: 'hand', sprite: '270b', parents: ['body part'], synonyms: ['hands'] },
  { name: 'ear', sprite: '1f442', parents: ['body part'], synonyms: ['ears'] },
  { name: 'eyes', sprite: '1f440', parents: ['body part'], synonyms: ['eye', 'pair of eyes'] },
  { name: 'nose', sprite: '1f443', parents: ['body part'] },
  { name: 'mouth', sprite: '1f444', parents: ['body part'], synonyms: ['lips'] },
  { name: 'leg', sprite: '1f9b5', parents: ['body part'], synonyms: ['legs'] },
  { name: 'foot', sprite: '1f9b6', parents: ['body part'], synonyms: ['feet'] },
  { name: 'arm', sprite: '1f4aa', parents: ['body part'], synonyms: ['biceps', 'arms'] },
  { name: 'hair', sprite: '1f9b1', parents: ['body part'], synonyms: ['curly hair'] },
  // vehicles
  { name: 'car', sprite: '1f697', parents: ['vehicle'], synonyms: ['automobile'] },
  { name: 'racecar', sprite: '1f3ce', parents: ['car'], synonyms: ['race car', 'racing car'] },
  { name: 'taxi', sprite: '1f695', parents: ['car'], synonyms: ['cab'] },
  { name: 'police car', sprite: '1f693', parents: ['car'] },
  { name: 'truck', sprite: '1f69a', parents: ['vehicle'], synonyms: ['lorry', 'delivery truck'] },
  { name: 'fire engine', sprite: '1f692', parents: ['truck'], synonyms: ['fire truck'] },
  { name: 'tractor', sprite: '1f69c', parents: ['vehicle'] },
  { name: 'bus', sprite: '1f68c', parents: ['vehicle'], synonyms: ['buses'] },
  { name: 'ambulance', sprite: '1f691', parents: ['vehicle'] },
  { name: 'train', sprite: '1f686', parents: ['vehicle'], synonyms: ['railway'] },
  { name: 'locomotive', sprite: '1f682', parents: ['train'], synonyms: ['steam train'] },
  { name: 'bicycle', sprite: '1f6b2', parents: ['vehicle'], synonyms: ['bike'] },
  { name: 'motorcycle', sprite: '1f3cd', parents: ['vehicle'], synonyms: ['motorbike'] },
  { name: 'scooter', sprite: '1f6f5', parents: ['vehicle'], synonyms: ['moped'] },
  { name: 'airplane', sprite: '2708', parents: ['vehicle'], synonyms: ['plane', 'aeroplane', 'aircraft'] },
  { name: 'helicopter', sprite: '1f681', parents: ['vehicle'] },
  { name: 'rocket', sprite: '1f680', parents: ['vehicle'] },
  { name: 'boat', sprite: '26f5', parents: ['vehicle'], synonyms: ['sailboat', 'sailing boat'] },
  { name: 'ship', sprite: '1f6a2', parents: ['boat'], synonyms: ['ocean liner'] },
  { name: 'canoe', sprite: '1f6f6', parents: ['boat'], synonyms: ['kayak'] },
  { name: 'speedboat', sprite: '1f6a4', parents: ['boat'], synonyms: ['motorboat'] },
  { name: 'wheel', sprite: '1f6de', parents: ['vehicle part'], synonyms: ['tire', 'tyre', 'tires', 'tyres'] },
  // food and drink
  { name: 'pizza', sprite: '1f355', parents: ['food'] },
  { name: 'hamburger', sprite: '1f354', parents: ['food'], synonyms: ['burger'] },
  { name: 'hot dog', sprite: '1f32d', parents: ['food'], synonyms: ['hotdog'] },
  { name: 'bread', sprite: '1f35e', parents: ['food'], synonyms: ['loaf'] },
  { name: 'cake', sprite: '1f370', parents: ['food'] },
  { name: 'donut', sprite: '1f369', parents: ['food'], synonyms: ['doughnut'] },
  { name: 'ice cream', sprite: '1f366', parents: ['food'] },
  { name: 'apple', sprite: '1f34e', parents: ['fruit'] },
  { name: 'banana', sprite: '1f34c', parents: ['fruit'] },
  { name: 'grapes', sprite: '1f347', parents: ['fruit'], synonyms: ['grape'] },
  { name: 'strawberry', sprite: '1f353', parents: ['fruit'] },
  { name: 'cherries', sprite: '1f352', parents: ['fruit'], synonyms: ['cherry'] },
  { name: 'tangerine', sprite: '1f34a', parents: ['fruit'], synonyms: ['mandarin', 'orange fruit'] },
  { name: 'watermelon', sprite: '1f349', parents: ['fruit'] },
  { name: 'carrot', sprite: '1f955', parents: ['vegetable'] },
  { name: 'broccoli', sprite: '1f966', parents: ['vegetable'] },
  { name: 'cup', sprite: '2615', parents: ['tableware'], synonyms: ['mug', 'coffee cup', 'teacup', 'coffee'] },
  { name: 'teapot', sprite: '1fad6', parents: ['tableware'] },
  { name: 'wine glass', sprite: '1f377', parents: ['tableware'], synonyms: ['glass of wine'] },
  { name: 'baby bottle', sprite: '1f37c', parents: ['tableware'], synonyms: ['bottle'] },
  // clothing and accessories
  { name: 'shirt', sprite: '1f455', parents: ['clothing'], synonyms: ['t-shirt', 'tshirt', 'tee'] },
  { name: 'jeans', sprite: '1f456', parents: ['clothing'], synonyms: ['trousers', 'pants', 'denim'] },
  { name: 'dress', sprite: '1f457', parents: ['clothing'] },
  { name: 'coat', sprite: '1f9e5', parents: ['clothing'], synonyms: ['jacket'] },
  { name: 'scarf', sprite: '1f9e3', parents: ['clothing'] },
  { name: 'gloves', sprite: '1f9e4', parents: ['clothing'], synonyms: ['glove'] },
  { name: 'socks', sprite: '1f9e6', parents: ['clothing'], synonyms: ['sock'] },
  { name: 'tie', sprite: '1f454', parents: ['clothing'], synonyms: ['necktie'] },
  { name: 'hat', sprite: '1f452', parents: ['headwear'], synonyms: ['sun hat'] },
  { name: 'top hat', sprite: '1f3a9', parents: ['hat'] },
  { name: 'cap', sprite: '1f9e2', parents: ['hat'], synonyms: ['baseball cap'] },
  { name: 'crown', sprite: '1f451', parents: ['headwear'] },
  { name: 'shoe', sprite: '1f45f', parents: ['footwear'], synonyms: ['shoes', 'sneaker', 'trainer', 'running shoe'] },
  { name: 'boot', sprite: '1f97e', parents: ['shoe'], synonyms: ['hiking boot'] },
  { name: 'high heel', sprite: '1f460', parents: ['shoe'], synonyms: ['high heels', 'stiletto'] },
  { name: 'sunglasses', sprite: '1f576', parents: ['accessory'], synonyms: ['shades'] },
  { name: 'glasses', sprite: '1f453', parents: ['accessory'], synonyms: ['eyeglasses', 'spectacles'] },
  { name: 'handbag', sprite: '1f45c', parents: ['accessory'], synonyms: ['purse', 'bag'] },
  { name: 'backpack', sprite: '1f392', parents: ['accessory'], synonyms: ['rucksack', 'schoolbag'] },
  { name: 'umbrella', sprite: '2602', parents: ['accessory'] },
  { name: 'necklace', sprite: '1f4ff', parents: ['jewellery'], synonyms: ['beads', 'prayer beads'] },
  { name: 'diamond ring', sprite: '1f48d', parents: ['jewellery'], synonyms: ['wedding ring'] },
  { name: 'watch', sprite: '231a', parents: ['accessory'], synonyms: ['wristwatch'] },
  { name: 'button', sprite: 'custom:button', parents: ['clothing part'], synonyms: ['buttons'] },
  // musical instruments
  { name: 'guitar', sprite: '1f3b8', parents: ['instrument'] },
  { name: 'piano', sprite: '1f3b9', parents: ['instrument'], synonyms: ['keyboard'] },
  { name: 'trumpet', sprite: '1f3ba', parents: ['instrument'] },
  { name: 'violin', sprite: '1f3bb', parents: ['instrument'], synonyms: ['fiddle'] },
  { name: 'drum', sprite: '1f941', parents: ['instrument'], synonyms: ['drums'] },
  { name: 'saxophone', sprite: '1f3b7', parents: ['instrument'], synonyms: ['sax'] },
  { name: 'banjo', sprite: '1fa95', parents: ['instrument'] },
  { name: 'accordion', sprite: '1fa97', parents: ['instrument'] },
  // buildings and structures
  { name: 'building', sprite: '1f3e2', parents: ['structure'], synonyms: ['office building', 'office'] },
  { name: 'house', sprite: '1f3e0', parents: ['building'], synonyms: ['home'] },
  { name: 'temple', sprite: '1f6d5', parents: ['building'], synonyms: ['hindu temple'] },
  { name: 'church', sprite: '26ea', parents: ['building'], synonyms: ['chapel'] },
  { name: 'castle', sprite: '1f3f0', parents: ['building'] },
  { name: 'stadium', sprite: '1f3df', parents: ['building'], synonyms: ['arena'] },
  { name: 'classical building', sprite: '1f3db', parents: ['building'], synonyms: ['columns', 'museum'] },
  { name: 'hospital', sprite: '1f3e5', parents: ['building'] },
  { name: 'school', sprite: '1f3eb', parents: ['building'] },
  { name: 'skyline', sprite: '1f3d9', parents: ['structure'], synonyms: ['cityscape', 'city skyline', 'city'] },
  { name: 'bridge', sprite: '1f309', parents: ['structure'], synonyms: ['bridge at night'] },
  { name: 'tent', sprite: '26fa', parents: ['structure'], synonyms: ['camping tent'] },
  { name: 'playground', sprite: '1f6dd', parents: ['structure'], synonyms: ['playground slide', 'slide'] },
  { name: 'fountain', sprite: '26f2', parents: ['structure'] },
  { name: 'fence', sprite: 'custom:fence', parents: ['structure'], synonyms: ['picket fence', 'fences'] },
  { name: 'roof', sprite: 'custom:roof', parents: ['structure'], synonyms: ['rooftop', 'roofs'] },
  { name: 'window', sprite: '1fa9f', parents: ['household item'], synonyms: ['windows'] },
  { name: 'door', sprite: '1f6aa', parents: ['household item'] },
  // nature
  { name: 'mountain', sprite: '26f0', parents: ['landscape'], synonyms: ['mountains', 'hill'] },
  { name: 'volcano', sprite: '1f30b', parents: ['mountain'] },
  { name: 'tree', sprite: '1f333', parents: ['plant'], synonyms: ['deciduous tree'] },
  { name: 'evergreen', sprite: '1f332', parents: ['tree'], synonyms: ['pine', 'fir', 'christmas tree'] },
  { name: 'palm tree', sprite: '1f334', parents: ['tree'], synonyms: ['palm'] },
  { name: 'cactus', sprite: '1f335', parents: ['plant'] },
  { name: 'flower', sprite: '1f338', parents: ['plant'], synonyms: ['blossom', 'cherry blossom'] },
  { name: 'rose', sprite: '1f339', parents: ['flower'] },
  { name: 'sunflower', sprite: '1f33b', parents: ['flower'] },
  { name: 'tulip', sprite: '1f337', parents: ['flower'] },
  { name: 'hibiscus', sprite: '1f33a', parents: ['flower'] },
  { name: 'mushroom', sprite: '1f344', parents: ['plant'], synonyms: ['toadstool'] },
  { name: 'leaf', sprite: '1f341', parents: ['plant'], synonyms: ['leaves', 'maple leaf'] },
  { name: 'sun', sprite: '2600', parents: ['weather'], synonyms: ['sunshine'] },
  { name: 'moon', sprite: '1f319', parents: ['weather'], synonyms: ['crescent moon'] },
  { name: 'cloud', sprite: '2601', parents: ['weather'], synonyms: ['clouds'] },
  { name: 'rainbow', sprite: '1f308', parents: ['weather'] },
  { name: 'lightning', sprite: '26a1', parents: ['weather'], synonyms: ['thunderbolt', 'lightning bolt'] },
  { name: 'snowflake', sprite: '2744', parents: ['weather'] },
  { name: 'flame', sprite: '1f525', parents: ['landscape'], synonyms: ['fire', 'flames', 'blaze'] },
  { name: 'droplet', sprite: '1f4a7', parents: ['weather'], synonyms: ['water drop', 'drop', 'raindrop'] },
  { name: 'wave', sprite: '1f30a', parents: ['landscape'], synonyms: ['ocean wave'] },
  { name: 'rock', sprite: '1faa8', parents: ['landscape'], synonyms: ['stone', 'boulder'] },
  { name: 'log', sprite: '1fab5', parents: ['landscape'], synonyms: ['timber'] },
  // household items and tools
  { name: 'pencil', sprite: '270f', parents: ['stationery'] },
  { name: 'pen', sprite: '1f58a', parents: ['stationery'], synonyms: ['ballpoint pen'] },
  { name: 'book', sprite: '1f4d5', parents: ['stationery'], synonyms: ['books'] },
  { name: 'scissors', sprite: '2702', parents: ['tool'] },
  { name: 'hammer', sprite: '1f528', parents: ['tool'] },
  { name: 'wrench', sprite: '1f527', parents: ['tool'], synonyms: ['spanner'] },
  { name: 'key', sprite: '1f511', parents: ['tool'] },
  { name: 'light bulb', sprite: '1f4a1', parents: ['household item'], synonyms: ['light', 'lightbulb', 'bulb', 'lamp', 'lights'] },
  { name: 'candle', sprite: '1f56f', parents: ['household item'] },
  { name: 'chair', sprite: '1fa91', parents: ['furniture'] },
  { name: 'bed', sprite: '1f6cf', parents: ['furniture'] },
  { name: 'bathtub', sprite: '1f6c1', parents: ['household item'], synonyms: ['bath', 'tub'] },
  { name: 'sink', sprite: 'custom:sink', parents: ['household item'], synonyms: ['washbasin', 'basin', 'sinks'] },
  { name: 'handle', sprite: 'custom:handle', parents: ['household item'], synonyms: ['handles', 'door handle'] },
  { name: 'leash', sprite: 'custom:leash', parents: ['pet accessory'], synonyms: ['lead', 'dog leash'] },
  { name: 'laptop', sprite: '1f4bb', parents: ['electronics'], synonyms: ['computer'] },
  { name: 'phone', sprite: '1f4f1', parents: ['electronics'], synonyms: ['mobile phone', 'cellphone', 'smartphone'] },
  { name: 'camera', sprite: '1f4f7', parents: ['electronics'] },
  { name: 'television', sprite: '1f4fa', parents: ['electronics'], synonyms: ['tv'] },
  { name: 'yarn', sprite: '1f9f6', parents: ['household item'], synonyms: ['ball of yarn', 'wool'] },
  { name: 'jigsaw', sprite: '1f9e9', parents: ['toy'], synonyms: ['puzzle piece', 'jigsaw piece', 'puzzle'] },
  { name: 'teddy bear', sprite: '1f9f8', parents: ['toy'], synonyms: ['teddy'] },
  { name: 'balloon', sprite: '1f388', parents: ['toy'] },
  { name: 'kite', sprite: '1fa81', parents: ['toy'] },
  { name: 'gift', sprite: '1f381', parents: ['household item'], synonyms: ['present'] },
  { name: 'trophy', sprite: '1f3c6', parents: ['household item'], synonyms: ['cup trophy'] },
  { name: 'ball', sprite: '26bd', parents: ['toy'], synonyms: ['soccer ball', 'football'] },
  { name: 'basketball', sprite: '1f3c0', parents: ['ball'] },
  { name: 'tennis ball', sprite: '1f3be', parents: ['ball'] },
  { name: 'baseball', sprite: '26be', parents: ['ball'] },
  { name: 'volleyball', sprite: '1f3d0', parents: ['ball'] },
];

export interface CategoryEntry {
  name: string;
  parents: string[];
  synonyms?: string[];
}

/** Concepts that are only ever ancestors of drawable ones (their mask is the union of their descendants'). */
// prettier-ignore
export const CATEGORIES: CategoryEntry[] = [
  { name: 'animal', parents: [], synonyms: ['animals', 'creature'] },
  { name: 'mammal', parents: ['animal'] },
  { name: 'pet', parents: ['animal'] },
  { name: 'sea animal', parents: ['animal'], synonyms: ['marine animal', 'sea creature'] },
  { name: 'reptile', parents: ['animal'] },
  { name: 'amphibian', parents: ['animal'] },
  { name: 'bug', parents: ['animal'], synonyms: ['insect', 'insects', 'bugs'] },
  { name: 'animal part', parents: [] },
  { name: 'people', parents: [], synonyms: ['crowd'] },
  { name: 'body part', parents: [], synonyms: ['body'] },
  { name: 'suit', parents: ['clothing'], synonyms: ['business suit'] },
  { name: 'vehicle', parents: [], synonyms: ['vehicles', 'transport'] },
  { name: 'vehicle part', parents: [] },
  { name: 'food', parents: [], synonyms: ['meal'] },
  { name: 'fruit', parents: ['food'], synonyms: ['fruits'] },
  { name: 'vegetable', parents: ['food'], synonyms: ['veggie'] },
  { name: 'tableware', parents: [], synonyms: ['dishes', 'crockery'] },
  { name: 'clothing', parents: [], synonyms: ['clothes', 'garment', 'apparel'] },
  { name: 'clothing part', parents: [] },
  { name: 'headwear', parents: ['clothing'] },
  { name: 'footwear', parents: ['clothing'] },
  { name: 'accessory', parents: [], synonyms: ['accessories'] },
  { name: 'jewellery', parents: ['accessory'], synonyms: ['jewelry'] },
  { name: 'instrument', parents: [], synonyms: ['musical instrument', 'instruments'] },
  { name: 'structure', parents: [], synonyms: ['construction'] },
  { name: 'landscape', parents: [], synonyms: ['nature'] },
  { name: 'plant', parents: [], synonyms: ['plants'] },
  { name: 'weather', parents: [], synonyms: ['sky object'] },
  { name: 'stationery', parents: [] },
  { name: 'tool', parents: [], synonyms: ['tools'] },
  { name: 'household item', parents: [], synonyms: ['household object'] },
  { name: 'pet accessory', parents: [] },
  { name: 'furniture', parents: [] },
  { name: 'electronics', parents: [], synonyms: ['device', 'gadget'] },
  { name: 'toy', parents: [], synonyms: ['toys'] },
  { name: 'colour', parents: [], synonyms: ['color', 'colours', 'colors'] },
  { name: 'warm colour', parents: ['colour'], synonyms: ['warm color', 'warm colours', 'warm'] },
  { name: 'cool colour', parents: ['colour'], synonyms: ['cool color', 'cool colours', 'cool'] },
  { name: 'neutral colour', parents: ['colour'], synonyms: ['neutral color', 'neutral'] },
  { name: 'shape', parents: [], synonyms: ['shapes', 'geometric shape'] },
  { name: 'polygon', parents: ['shape'] },
  { name: 'texture', parents: [], synonyms: ['textures', 'material'] },
  { name: 'pattern', parents: ['texture'], synonyms: ['patterns'] },
  { name: 'scenery', parents: [], synonyms: ['setting', 'backdrop'] },
  { name: 'wall', parents: ['structure'], synonyms: ['walls'] },
];

export interface ColourEntry {
  name: string;
  rgb: [number, number, number];
  parents: string[];
  synonyms?: string[];
}

/** Named colours: the fill of shapes and words, the tint of objects, plain backgrounds. */
// prettier-ignore
export const COLOURS: ColourEntry[] = [
  { name: 'red', rgb: [220, 30, 35], parents: ['warm colour'], synonyms: ['scarlet', 'crimson'] },
  { name: 'orange', rgb: [250, 135, 20], parents: ['warm colour'] },
  { name: 'yellow', rgb: [250, 215, 30], parents: ['warm colour'], synonyms: ['golden', 'gold'] },
  { name: 'pink', rgb: [245, 120, 180], parents: ['warm colour'] },
  { name: 'magenta', rgb: [210, 30, 190], parents: ['warm colour'], synonyms: ['fuchsia'] },
  { name: 'brown', rgb: [130, 80, 40], parents: ['warm colour'], synonyms: ['chocolate'] },
  { name: 'green', rgb: [40, 160, 60], parents: ['cool colour'] },
  { name: 'teal', rgb: [0, 128, 128], parents: ['cool colour'] },
  { name: 'cyan', rgb: [40, 210, 230], parents: ['cool colour'], synonyms: ['turquoise', 'aqua'] },
  { name: 'blue', rgb: [30, 90, 220], parents: ['cool colour'] },
  { name: 'navy', rgb: [20, 30, 110], parents: ['cool colour'], synonyms: ['navy blue', 'dark blue'] },
  { name: 'purple', rgb: [125, 45, 180], parents: ['cool colour'], synonyms: ['violet', 'lilac'] },
  { name: 'black', rgb: [15, 15, 15], parents: ['neutral colour'] },
  { name: 'white', rgb: [250, 250, 250], parents: ['neutral colour'] },
  { name: 'gray', rgb: [128, 128, 128], parents: ['neutral colour'], synonyms: ['grey', 'silver'] },
  { name: 'beige', rgb: [225, 205, 160], parents: ['neutral colour'], synonyms: ['tan', 'cream'] },
];

export interface ShapeEntry {
  name: string;
  parents: string[];
  synonyms?: string[];
}

/** Shapes drawn procedurally (stimuli/shapes.ts). */
// prettier-ignore
export const SHAPES: ShapeEntry[] = [
  { name: 'circle', parents: ['shape'], synonyms: ['disc', 'disk', 'dot', 'round'] },
  { name: 'ellipse', parents: ['shape'], synonyms: ['oval'] },
  { name: 'square', parents: ['polygon'], synonyms: ['box'] },
  { name: 'rectangle', parents: ['polygon'], synonyms: ['bar'] },
  { name: 'triangle', parents: ['polygon'] },
  { name: 'diamond', parents: ['polygon'], synonyms: ['rhombus', 'lozenge'] },
  { name: 'pentagon', parents: ['polygon'] },
  { name: 'hexagon', parents: ['polygon'] },
  { name: 'star', parents: ['shape'] },
  { name: 'ring', parents: ['shape'], synonyms: ['annulus', 'donut shape'] },
  { name: 'spiral', parents: ['shape'], synonyms: ['swirl', 'coil'] },
  { name: 'heart', parents: ['shape'] },
  { name: 'cross', parents: ['shape'], synonyms: ['plus', 'plus sign'] },
  { name: 'crescent', parents: ['shape'] },
  { name: 'arrow', parents: ['shape'] },
  { name: 'arch', parents: ['shape', 'structure'], synonyms: ['archway', 'arches'] },
];

export interface TextureEntry {
  name: string;
  parents: string[];
  synonyms?: string[];
  /**
   * The colour concept a material texture has when the item gives no colour (its pixels are then
   * shades of it). Patterns have none: uncoloured they are black on white, which is no one colour.
   */
  naturalColour?: string;
  /** Also usable as a whole-image background. */
  background?: boolean;
}

/** Procedural, seeded fill patterns (stimuli/textures.ts). */
// prettier-ignore
export const TEXTURES: TextureEntry[] = [
  { name: 'stripes', parents: ['pattern'], synonyms: ['striped', 'stripe', 'stripy', 'lines'] },
  { name: 'dots', parents: ['pattern'], synonyms: ['dotted', 'polka dots', 'polka dot', 'spotted', 'spots'] },
  { name: 'checks', parents: ['pattern'], synonyms: ['checked', 'checkered', 'chequered', 'checkerboard', 'check'] },
  { name: 'zigzag', parents: ['pattern'], synonyms: ['zigzags', 'chevron', 'zig-zag'] },
  { name: 'grid', parents: ['pattern'], synonyms: ['mesh', 'lattice'] },
  { name: 'waves', parents: ['pattern'], synonyms: ['wavy', 'wavy lines'] },
  { name: 'brick', parents: ['texture'], synonyms: ['bricks', 'brickwork'] },
  { name: 'wood', parents: ['texture'], synonyms: ['wooden', 'wood grain', 'timber texture'], naturalColour: 'brown', background: true },
  { name: 'grass', parents: ['texture', 'scenery'], synonyms: ['grassy', 'lawn', 'field', 'meadow'], naturalColour: 'green', background: true },
  { name: 'water', parents: ['texture', 'scenery'], synonyms: ['watery', 'sea', 'ocean', 'lake', 'river'], naturalColour: 'blue', background: true },
  { name: 'fur', parents: ['texture'], synonyms: ['furry', 'fluffy'], naturalColour: 'brown' },
  { name: 'scales', parents: ['texture'], synonyms: ['scaly', 'fish scales'], naturalColour: 'green' },
  { name: 'sand', parents: ['texture', 'scenery'], synonyms: ['sandy', 'desert'], naturalColour: 'beige', background: true },
  { name: 'snow', parents: ['texture', 'scenery'], synonyms: ['snowy', 'snowfield'], naturalColour: 'white', background: true },
];

export interface BackgroundEntry {
  name: string;
  parents: string[];
  synonyms?: string[];
  /** Also drawable as an object sprite (Twemoji codepoint). */
  sprite?: string;
}

/**
 * Backgrounds that are not also textures. Textures flagged `background` and every colour are
 * backgrounds too (a plain colour background is that colour's concept).
 */
// prettier-ignore
export const BACKGROUNDS: BackgroundEntry[] = [
  { name: 'sky', parents: ['scenery'], synonyms: ['blue sky', 'skies'] },
  { name: 'brick wall', parents: ['brick', 'wall', 'scenery'], synonyms: ['bricks wall', 'wall of bricks'] },
  { name: 'road', parents: ['scenery'], synonyms: ['street', 'roads', 'asphalt', 'motorway', 'highway'], sprite: '1f6e3' },
  { name: 'beach', parents: ['scenery'], synonyms: ['seaside', 'shore', 'coast'] },
];

/** The one concept every word item carries; the word itself is the concept `word:<text>`. */
export const TEXT_CONCEPT = {
  name: 'text',
  parents: [] as string[],
  synonyms: ['word', 'words', 'writing', 'letters', 'caption'],
};
