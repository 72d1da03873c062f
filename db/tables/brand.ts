// Tables of the regional brand engagements (Program B).
export interface BrandTables {}
