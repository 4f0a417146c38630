/**
 * Writing a {@link ScenarioDocument} as a scenario file (YAML) in the style of the shipped scenarios —
 * small maps in flow style, a `yaml-language-server` schema line and optional comment lines on top — and
 * validating a document through the real scenario loader.
 */
import { Document, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import { type LoadResult, type ParseScenarioOptions, parseScenario } from '../scenario/index.js';
import type { ScenarioDocument } from './scenario-document.js';

export interface ScenarioYamlOptions {
  /** `$schema` for the editor line (a relative path or URL); omitted = no schema line. */
  schemaRef?: string;
  /** Comment lines written under the schema line (without `#`). */
  comments?: readonly string[];
  /** Longest flow-style collection in characters (default 100). */
  maxFlowWidth?: number;
}

/** The scenario as YAML text. */
export function scenarioToYaml(doc: ScenarioDocument, o: ScenarioYamlOptions = {}): string {
  const d = new Document(doc);
  const maxFlow = o.maxFlowWidth ?? 100;
  visit(d, {
    Map(_key, node, path) {
      // Depth: the document and top-level map are ancestors of every section; flow from inside a section.
      // Collections above this map (the top-level map is 1). List items and servers stay in block
      // style; what is inside them, and the manager's subsections, go in flow style when short.
      const depth = path.filter((p) => isMap(p) || isSeq(p)).length;
      const firstPair = path.find((p) => isPair(p));
      const section = isPair(firstPair) && isScalar(firstPair.key) ? String(firstPair.key.value) : '';
      if (depth < 2 || (depth === 2 && section !== 'manager')) return;
      if (JSON.stringify(node.toJSON()).length <= maxFlow) node.flow = true;
    },
  });
  const lines: string[] = [];
  if (o.schemaRef !== undefined) lines.push(`# yaml-language-server: $schema=${o.schemaRef}`);
  for (const c of o.comments ?? []) for (const l of c.split('\n')) lines.push(l === '' ? '#' : `# ${l}`);
  return `${lines.join('\n')}${lines.length ? '\n' : ''}${d.toString({ lineWidth: 110, flowCollectionPadding: true })}`;
}

/** Validates a document exactly as a file holding it would be validated (YAML text → loader). */
export function validateScenarioDocument(
  doc: ScenarioDocument,
  file = `${doc.name}.yaml`,
  options: ParseScenarioOptions = {},
): LoadResult {
  return parseScenario(scenarioToYaml(doc), file, options);
}
