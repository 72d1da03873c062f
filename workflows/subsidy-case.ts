// One overseas IP subsidy case (Program A) from intake to the last status report.
export {};
