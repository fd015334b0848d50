// The JSON shapes the UI reads (docs/web-ui.md lists the endpoints). Fields are optional where the
// API leaves them out; the UI never assumes more than it checks.

export type RepoType = 'model' | 'dataset';

export interface RepoRef {
  type: RepoType;
  ns: string;
  name: string;
}

export interface AdapterFacts {
  peftType: string;
  baseModel: string;
  baseRevision?: string;
  r: number;
  alpha: number;
  targetModules: string[];
  parameters: number;
}

export interface Sibling {
  rfilename: string;
  size?: number;
  lfs?: { sha256: string; size: number };
}

export interface RepoInfo {
  id: string;
  author: string;
  sha: string;
  lastModified: string;
  createdAt: string;
  private: boolean;
  gated: false | string;
  downloads: number;
  likes: number;
  library_name?: string;
  pipeline_tag?: string;
  tags: string[];
  cardData?: Record<string, unknown>;
  siblings: Sibling[];
  usedStorage?: number;
  safetensors?: { parameters: Record<string, number>; total: number };
  quiver?: { adapter?: AdapterFacts };
}

export interface TreeEntry {
  type: 'file' | 'directory';
  oid: string;
  size: number;
  path: string;
  lfs?: { oid: string; size: number; pointerSize: number };
  lastCommit?: { id: string; title: string; date: string };
}

export interface Ref {
  name: string;
  ref: string;
  targetCommit: string;
}

export interface Refs {
  branches: Ref[];
  tags: Ref[];
  converts: Ref[];
}

export interface Commit {
  id: string;
  title: string;
  message: string;
  date: string;
  authors: { user: string }[];
}

export interface CommitDetail extends Commit {
  parents: string[];
  files: { path: string; change: 'added' | 'modified' | 'deleted'; oldOid?: string; newOid?: string }[];
  filesTotal: number;
}

export interface SearchHit {
  id: string;
  type: RepoType;
  author: string;
  name: string;
  private: boolean;
  downloads: number;
  likes: number;
  lastModified: string;
  pipeline_tag?: string;
  library_name?: string;
  license?: string;
  tags: string[];
  baseModels: { id: string; revision?: string }[];
  adapter?: AdapterFacts;
  verification: string;
  highlights: string[];
  baseRevision?: string;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchResult {
  total: number;
  items: SearchHit[];
  facets: Record<string, FacetCount[]>;
  didYouMean?: string;
}

export interface Check {
  name: string;
  status: string;
  summary: string;
  details: unknown;
}

export interface Checks {
  commit: string;
  status: string;
  checks: Check[];
}

export interface Whoami {
  name: string;
  fullname?: string;
  type?: string;
  orgs?: { name: string }[];
  auth?: { type?: string; accessToken?: { displayName?: string; role?: string } };
}
