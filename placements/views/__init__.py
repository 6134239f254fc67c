"""The staff workspace's pages, one module per subdomain (the README's Architecture
table says which): common (shared by all), dashboard, stays (list, case page, intake,
extension, reassignment), records (visits, consultations, contacts, visitors, agreed
visits, the week), applications, followups, tasks, documents, printouts (PDFs),
exports, imports. Every view needs a login and its role's permissions (staff_view)."""
