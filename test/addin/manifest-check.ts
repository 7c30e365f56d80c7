/**
 * An offline check of the XML add-in manifest (office-addin-manifest validate needs
 * Microsoft's online service): element order and required elements of the TaskPaneApp
 * schema, resource ids resolved by kind, string lengths, locales, URLs on one https origin.
 * Returns a list of problems; [] = fine.
 */

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e: string) =>
    e[0] === "#"
      ? String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : (ENTITIES[e] ?? `&${e};`),
  );

/** A small, strict XML parser: elements, attributes, text, comments, declaration. Throws on malformed input. */
export function parseXml(xml: string): XmlNode {
  let i = 0;
  const stack: XmlNode[] = [{ name: "#document", attrs: {}, children: [], text: "" }];
  while (i < xml.length) {
    if (xml.startsWith("<?", i)) {
      const end = xml.indexOf("?>", i);
      if (end < 0) throw new Error("unterminated declaration");
      i = end + 2;
    } else if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i);
      if (end < 0) throw new Error("unterminated comment");
      i = end + 3;
    } else if (xml.startsWith("</", i)) {
      const end = xml.indexOf(">", i);
      const name = xml.slice(i + 2, end).trim();
      const node = stack.pop()!;
      if (node.name !== name) throw new Error(`mismatched </${name}>, expected </${node.name}>`);
      i = end + 1;
    } else if (xml[i] === "<") {
      const m = /^<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>/.exec(xml.slice(i));
      if (!m) throw new Error(`malformed tag at ${i}: ${xml.slice(i, i + 40)}`);
      const attrs: Record<string, string> = {};
      for (const a of m[2].matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) {
        if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]] = decode(a[2]);
      }
      const node: XmlNode = { name: m[1], attrs, children: [], text: "" };
      stack[stack.length - 1].children.push(node);
      if (!m[3]) stack.push(node);
      i += m[0].length;
    } else {
      const end = xml.indexOf("<", i);
      const text = xml.slice(i, end < 0 ? xml.length : end);
      if (stack.length === 1 && text.trim()) throw new Error("text outside the root element");
      stack[stack.length - 1].text += decode(text);
      i = end < 0 ? xml.length : end;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  const roots = stack[0].children;
  if (roots.length !== 1) throw new Error("expected one root element");
  return roots[0];
}

const local = (n: string) => n.replace(/^\w+:/, "");
const kids = (n: XmlNode, name: string) => n.children.filter((c) => local(c.name) === name);
const kid = (n: XmlNode | undefined, name: string) => (n ? kids(n, name)[0] : undefined);

function* walk(n: XmlNode, path: string[] = []): Generator<[XmlNode, string[]]> {
  yield [n, path];
  for (const c of n.children) yield* walk(c, [...path, local(n.name)]);
}

/** Child sequence of TaskPaneApp (OfficeApp base, then the task-pane extension). */
const TASKPANE_SEQUENCE = [
  "Id",
  "AlternateId",
  "Version",
  "ProviderName",
  "DefaultLocale",
  "DisplayName",
  "Description",
  "IconUrl",
  "HighResolutionIconUrl",
  "SupportUrl",
  "AppDomains",
  "Hosts",
  "Requirements",
  "DefaultSettings",
  "Permissions",
  "AllowSnapshot",
  "VersionOverrides",
];
const TASKPANE_REQUIRED = [
  "Id",
  "Version",
  "ProviderName",
  "DefaultLocale",
  "DisplayName",
  "Description",
  "DefaultSettings",
  "Permissions",
];
const PERMISSIONS = [
  "Restricted",
  "ReadDocument",
  "ReadAllDocument",
  "WriteDocument",
  "ReadWriteDocument",
];

/** Expected child order of elements inside VersionOverrides. */
const ORDER: Record<string, string[]> = {
  VersionOverrides: [
    "Description",
    "Requirements",
    "Hosts",
    "Resources",
    "EquivalentAddins",
    "VersionOverrides",
  ],
  DesktopFormFactor: ["GetStarted", "FunctionFile", "ExtensionPoint"],
  GetStarted: ["Title", "Description", "LearnMoreUrl"],
  Group: ["Label", "Icon", "Control"],
  Control: ["Label", "Supertip", "Icon", "Action"],
  Supertip: ["Title", "Description"],
  Resources: ["Images", "Urls", "ShortStrings", "LongStrings"],
};

/** Which resource collection each resid-carrying element must point into. */
function residKind(el: string, parent: string): string | null {
  if (el === "Image") return "Images";
  if (["SourceLocation", "FunctionFile", "LearnMoreUrl"].includes(el)) return "Urls";
  if (el === "Label" || el === "Title") return "ShortStrings";
  if (el === "Description" && (parent === "Supertip" || parent === "GetStarted"))
    return "LongStrings";
  return null;
}

function checkOrder(node: XmlNode, seq: string[], where: string, problems: string[]): void {
  let last = -1;
  for (const c of node.children) {
    const idx = seq.indexOf(local(c.name));
    if (idx < 0) problems.push(`${where}: unexpected element <${c.name}>`);
    else if (idx < last) problems.push(`${where}: <${local(c.name)}> is out of order`);
    else last = idx;
  }
}

export interface ManifestFacts {
  id: string;
  /** <SupportUrl>: may sit on another origin (a support site), https all the same. */
  supportUrl: string;
  origin: string;
  urls: string[];
  functionNames: string[];
  requirements: { name: string; minVersion: string }[];
}

export function checkManifest(
  xml: string,
  opts: { locales?: string[] } = {},
): { problems: string[]; facts: ManifestFacts } {
  const problems: string[] = [];
  const facts: ManifestFacts = {
    id: "",
    supportUrl: "",
    origin: "",
    urls: [],
    functionNames: [],
    requirements: [],
  };
  let root: XmlNode;
  try {
    root = parseXml(xml);
  } catch (e) {
    return { problems: [`not well-formed XML: ${(e as Error).message}`], facts };
  }
  if (root.name !== "OfficeApp") problems.push(`root is <${root.name}>, expected <OfficeApp>`);
  if (root.attrs.xmlns !== "http://schemas.microsoft.com/office/appforoffice/1.1")
    problems.push("OfficeApp xmlns is not appforoffice/1.1");
  if (root.attrs["xsi:type"] !== "TaskPaneApp")
    problems.push(`xsi:type is ${root.attrs["xsi:type"]}, expected TaskPaneApp`);
  checkOrder(root, TASKPANE_SEQUENCE, "OfficeApp", problems);
  for (const r of TASKPANE_REQUIRED)
    if (!kid(root, r)) problems.push(`OfficeApp: required <${r}> missing`);

  const id = kid(root, "Id")?.text.trim() ?? "";
  facts.id = id;
  // AppSource requires a support page: https, any origin.
  facts.supportUrl = kid(root, "SupportUrl")?.attrs.DefaultValue ?? "";
  if (!facts.supportUrl) problems.push("<SupportUrl> missing (AppSource requires one)");
  else if (!/^https:\/\/[^/]+/i.test(facts.supportUrl))
    problems.push(`SupportUrl is not https: ${facts.supportUrl}`);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
    problems.push(`Id is not a GUID: ${id}`);
  const version = kid(root, "Version")?.text.trim() ?? "";
  if (!/^\d{1,5}(\.\d{1,5}){0,3}$/.test(version))
    problems.push(`Version is not n.n.n.n: ${version}`);
  const perm = kid(root, "Permissions")?.text.trim() ?? "";
  if (!PERMISSIONS.includes(perm)) problems.push(`Permissions has an invalid value: ${perm}`);
  const dn = kid(root, "DisplayName");
  if (!dn?.attrs.DefaultValue || dn.attrs.DefaultValue.length > 125)
    problems.push("DisplayName DefaultValue missing or longer than 125 characters");
  const desc = kid(root, "Description");
  if (!desc?.attrs.DefaultValue || desc.attrs.DefaultValue.length > 250)
    problems.push("Description DefaultValue missing or longer than 250 characters");
  if (!kid(kid(root, "DefaultSettings"), "SourceLocation")?.attrs.DefaultValue)
    problems.push("DefaultSettings/SourceLocation missing");
  const hosts = kids(
    kid(root, "Hosts") ?? { name: "", attrs: {}, children: [], text: "" },
    "Host",
  ).map((h) => h.attrs.Name);
  if (!hosts.includes("Workbook")) problems.push("Hosts does not include Workbook (Excel)");
  for (const s of kids(
    kid(kid(root, "Requirements"), "Sets") ?? { name: "", attrs: {}, children: [], text: "" },
    "Set",
  ))
    facts.requirements.push({ name: s.attrs.Name, minVersion: s.attrs.MinVersion });

  // Localised values: every DefaultValue-carrying text element has the expected overrides.
  const locales = opts.locales ?? [];
  for (const [n, path] of walk(root)) {
    const el = local(n.name);
    const isText = ["DisplayName", "Description"].includes(el) && path.length === 1;
    const isString = el === "String";
    if (!isText && !isString) continue;
    const have = n.children.filter((c) => local(c.name) === "Override").map((c) => c.attrs.Locale);
    for (const l of locales)
      if (!have.includes(l))
        problems.push(`${el} ${n.attrs.id ?? ""} has no <Override Locale="${l}">`);
    for (const o of n.children.filter((c) => local(c.name) === "Override"))
      if (!o.attrs.Value) problems.push(`${el} ${n.attrs.id ?? ""}: empty override`);
  }

  // VersionOverrides
  const vo = kid(root, "VersionOverrides");
  const resources = new Map<string, Map<string, XmlNode>>();
  if (vo) {
    if (vo.attrs.xmlns !== "http://schemas.microsoft.com/office/taskpaneappversionoverrides")
      problems.push("VersionOverrides xmlns is wrong");
    const res = kid(vo, "Resources");
    if (!res) problems.push("VersionOverrides: <Resources> missing");
    for (const coll of res?.children ?? []) {
      const m = new Map<string, XmlNode>();
      for (const item of coll.children) {
        const rid = item.attrs.id;
        if (!rid) problems.push(`${coll.name}: item without id`);
        else if (m.has(rid)) problems.push(`${coll.name}: duplicate id ${rid}`);
        else if (rid.length > 32)
          problems.push(`${coll.name}: id ${rid} longer than 32 characters`);
        else m.set(rid, item);
        const limit =
          local(coll.name) === "ShortStrings"
            ? 125
            : local(coll.name) === "LongStrings"
              ? 250
              : Infinity;
        for (const v of [item.attrs.DefaultValue, ...item.children.map((c) => c.attrs.Value)])
          if (v !== undefined && v.length > limit)
            problems.push(`${coll.name} ${rid}: value longer than ${limit} characters`);
      }
      resources.set(local(coll.name), m);
    }
    const used = new Set<string>();
    const ids = new Set<string>();
    for (const [n, path] of walk(vo)) {
      const el = local(n.name);
      const parent = path[path.length - 1] ?? "";
      if (ORDER[el]) checkOrder(n, ORDER[el], el, problems);
      if (n.attrs.id && ["Control", "Group", "Tab", "CustomTab"].includes(el)) {
        if (ids.has(n.attrs.id)) problems.push(`duplicate control id ${n.attrs.id}`);
        ids.add(n.attrs.id);
      }
      if (n.attrs.resid !== undefined) {
        const kind = residKind(el, parent);
        const target = kind ? resources.get(kind)?.get(n.attrs.resid) : undefined;
        if (!kind) problems.push(`<${el}> has a resid of unknown kind`);
        else if (!target)
          problems.push(`resid ${n.attrs.resid} (<${el}>) is not defined in ${kind}`);
        used.add(n.attrs.resid);
      }
      if (el === "Action") {
        const type = n.attrs["xsi:type"];
        if (type === "ExecuteFunction") {
          const fn = kid(n, "FunctionName")?.text.trim();
          if (!fn) problems.push("ExecuteFunction without FunctionName");
          else facts.functionNames.push(fn);
        } else if (type === "ShowTaskpane") {
          if (!kid(n, "SourceLocation")) problems.push("ShowTaskpane without SourceLocation");
          checkOrder(n, ["TaskpaneId", "SourceLocation", "Title"], "Action", problems);
        } else problems.push(`unknown Action type ${type}`);
      }
      if (el === "Icon" && parent === "Control") {
        const sizes = kids(n, "Image").map((i) => i.attrs.size);
        for (const s of ["16", "32", "80"])
          if (!sizes.includes(s)) problems.push(`Control icon lacks size ${s}`);
      }
    }
    if (
      kids(
        kid(kid(kid(vo, "Hosts"), "Host"), "DesktopFormFactor") ?? {
          name: "",
          attrs: {},
          children: [],
          text: "",
        },
        "FunctionFile",
      ).length === 0 &&
      facts.functionNames.length
    )
      problems.push("ExecuteFunction used but no FunctionFile declared");
    for (const [kind, m] of resources)
      for (const rid of m.keys()) if (!used.has(rid)) problems.push(`${kind} ${rid} is never used`);
  }

  // URLs: all https, all on one origin.
  for (const [n] of walk(root)) {
    if (n === kid(root, "SupportUrl")) continue;
    for (const [k, v] of Object.entries(n.attrs))
      if ((k === "DefaultValue" || k === "Value") && /^[a-z]+:\/\//i.test(v)) facts.urls.push(v);
    if (local(n.name) === "AppDomain") facts.urls.push(n.text.trim());
  }
  const origins = new Set<string>();
  for (const u of facts.urls) {
    try {
      const url = new URL(u);
      if (url.protocol !== "https:") problems.push(`URL is not https: ${u}`);
      origins.add(url.origin);
    } catch {
      problems.push(`invalid URL: ${u}`);
    }
  }
  if (origins.size > 1) problems.push(`URLs on more than one origin: ${[...origins].join(", ")}`);
  facts.origin = [...origins][0] ?? "";
  return { problems, facts };
}
