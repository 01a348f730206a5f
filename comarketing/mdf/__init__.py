"""Market development funds: budgets, requests, decisions, claims, reimbursement."""
