// Tables of the overseas IP subsidy (Program A).
export interface SubsidyTables {}
