// A strict check that a text is well-formed XML (no XML parser among the dependencies): one
// prolog, one root element, elements that nest and close, quoted attributes, only predefined or
// numeric entities, no stray '<' or '&'. Returns the element names in document order.

const NAME = '[A-Za-z_][\\w.:-]*';
const TAG = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`);
const ENTITY = /^&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

interface Parse {
  rest: string;
  readonly open: string[];
  readonly elements: string[];
  rootClosed: boolean;
}

export function wellFormedElements(text: string): string[] {
  const parse: Parse = {
    rest: text.replace(/^<\?xml[^?]*\?>\s*/, ''),
    open: [],
    elements: [],
    rootClosed: false,
  };
  while (parse.rest.length > 0) {
    if (parse.rest.startsWith('<')) readTag(parse);
    else readText(parse);
  }
  if (parse.open.length > 0 || !parse.rootClosed)
    throw new Error(`unclosed elements: ${parse.open.join(', ')}`);
  return parse.elements;
}

function readTag(parse: Parse): void {
  const match = TAG.exec(parse.rest);
  if (!match) throw new Error(`not a tag at: ${parse.rest.slice(0, 60)}`);
  const [whole, closing, name = '', attributes = '', selfClosing] = match;
  checkEntities(attributes);
  parse.rest = parse.rest.slice(whole.length);
  if (closing) {
    if (parse.open.pop() !== name) throw new Error(`</${name}> closes nothing open`);
    parse.rootClosed = parse.open.length === 0;
    return;
  }
  if (parse.rootClosed) throw new Error(`<${name}> after the root element`);
  parse.elements.push(name);
  if (!selfClosing) parse.open.push(name);
}

function readText(parse: Parse): void {
  const end = parse.rest.indexOf('<');
  const chars = end < 0 ? parse.rest : parse.rest.slice(0, end);
  if (parse.open.length === 0 && chars.trim() !== '')
    throw new Error(`text outside the root: ${chars.slice(0, 40)}`);
  checkEntities(chars);
  parse.rest = end < 0 ? '' : parse.rest.slice(end);
}

function checkEntities(text: string): void {
  for (let index = text.indexOf('&'); index >= 0; index = text.indexOf('&', index + 1)) {
    if (!ENTITY.test(text.slice(index))) throw new Error(`bad entity at: ${text.slice(index, index + 20)}`);
  }
}
