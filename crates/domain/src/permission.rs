//! Permissions (`area:action`) and the built-in roles that bundle them. Built-in roles take their
//! permissions from this file, so a release that adds a permission updates every tenant at once;
//! custom roles store theirs.

use std::collections::BTreeSet;
use std::fmt;

macro_rules! permissions {
    ($($variant:ident => $name:literal, $en:literal, $fr:literal;)+) => {
        /// What a member may do. The string form is the one stored and sent over the API.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Permission { $($variant),+ }

        impl Permission {
            pub const ALL: &'static [Permission] = &[$(Permission::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Permission::$variant => $name),+ }
            }

            pub fn parse(raw: &str) -> Option<Permission> {
                match raw { $($name => Some(Permission::$variant),)+ _ => None }
            }

            /// What the permission allows, in English and in French.
            pub fn description(self) -> (&'static str, &'static str) {
                match self { $(Permission::$variant => ($en, $fr)),+ }
            }
        }
    };
}

permissions! {
    SitesRead => "sites:read", "See sites, plants and production lines", "Voir les sites, usines et lignes de production";
    SitesManage => "sites:manage", "Create, edit and delete sites, plants and production lines", "Créer, modifier et supprimer sites, usines et lignes de production";
    UsersRead => "users:read", "See the members of the company", "Voir les membres de l'entreprise";
    UsersManage => "users:manage", "Add members, change their role and site scope, deactivate them; read and set hourly rates and weekly hours (theirs and the company's)", "Ajouter des membres, changer leur rôle et leurs sites, les désactiver ; consulter et fixer les taux horaires et heures hebdomadaires (les leurs et ceux de l'entreprise)";
    RolesRead => "roles:read", "See roles and their permissions", "Voir les rôles et leurs permissions";
    RolesManage => "roles:manage", "Create, edit and delete custom roles", "Créer, modifier et supprimer des rôles personnalisés";
    AuditRead => "audit:read", "Read the audit log", "Consulter le journal d'audit";
    EquipmentRead => "equipment:read", "See equipment, its meters, documents and history", "Voir les équipements, leurs compteurs, documents et historique";
    EquipmentManage => "equipment:manage", "Create, edit and archive equipment and its meters", "Créer, modifier et archiver les équipements et leurs compteurs";
    MetersRecord => "meters:record", "Record and import meter readings", "Saisir et importer des relevés de compteurs";
    RequestsCreate => "requests:create", "Report a failure (work request)", "Signaler une panne (demande d'intervention)";
    RequestsRead => "requests:read", "See every work request, not only one's own", "Voir toutes les demandes d'intervention, pas seulement les siennes";
    RequestsApprove => "requests:approve", "Approve or reject work requests", "Approuver ou rejeter les demandes d'intervention";
    WorkOrdersRead => "work_orders:read", "See work orders and the maintenance calendar of scheduled work", "Voir les bons de travail et le calendrier des interventions planifiées";
    WorkOrdersComment => "work_orders:comment", "Comment on the work orders one sees", "Commenter les bons de travail que l'on voit";
    WorkOrdersManage => "work_orders:manage", "Create, plan, assign, reschedule and cancel work orders", "Créer, planifier, affecter, replanifier et annuler les bons de travail";
    WorkOrdersExecute => "work_orders:execute", "Carry out assigned work orders: start, hold, log time, checklists, complete", "Exécuter les bons affectés : démarrer, suspendre, saisir temps et check-lists, terminer";
    WorkOrdersValidate => "work_orders:validate", "Validate (close) completed work orders or send them back", "Valider (clôturer) les bons terminés ou les renvoyer";
    FailureCodesManage => "failure_codes:manage", "Edit the catalogue of failure codes", "Modifier le catalogue des codes de défaillance";
    PmPlansRead => "pm_plans:read", "See preventive plans and their forecasts (also on the calendar)", "Voir les plans préventifs et leurs prévisions (aussi sur le calendrier)";
    PmPlansManage => "pm_plans:manage", "Create, edit, pause and skip preventive plans", "Créer, modifier, suspendre et sauter des échéances de plans préventifs";
    KpisRead => "kpis:read", "See the maintenance indicators and dashboards (MTBF, MTTR, availability, compliance, backlog)", "Voir les indicateurs et tableaux de bord de maintenance (MTBF, MTTR, disponibilité, conformité, carnet)";
    ReportsManage => "reports:manage", "Schedule KPI reports sent by mail, send them now and read their delivery log", "Programmer l'envoi des rapports d'indicateurs par e-mail, les envoyer tout de suite et suivre leurs envois";
    JobsRead => "jobs:read", "See the company's background jobs and their failures", "Voir les tâches de fond de l'entreprise et leurs échecs";
}

impl Permission {
    /// The part before the colon (`sites`), used to group permissions in the role editor.
    pub fn area(self) -> &'static str {
        self.as_str().split(':').next().unwrap_or("")
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionSet(BTreeSet<Permission>);

impl PermissionSet {
    pub fn all() -> Self {
        Self(Permission::ALL.iter().copied().collect())
    }

    pub fn contains(&self, permission: Permission) -> bool {
        self.0.contains(&permission)
    }

    pub fn is_subset(&self, other: &PermissionSet) -> bool {
        self.0.is_subset(&other.0)
    }

    pub fn iter(&self) -> impl Iterator<Item = Permission> + '_ {
        self.0.iter().copied()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The stored string forms. Unknown strings (a permission removed by a later release) are
    /// ignored rather than failing every request of the tenant.
    pub fn from_strings<S: AsRef<str>>(names: &[S]) -> Self {
        Self(
            names
                .iter()
                .filter_map(|n| Permission::parse(n.as_ref()))
                .collect(),
        )
    }

    pub fn to_strings(&self) -> Vec<String> {
        self.iter().map(|p| p.as_str().to_owned()).collect()
    }
}

impl FromIterator<Permission> for PermissionSet {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

/// The roles every tenant has from the start. Their `key` is stable; their permissions come
/// from [`BuiltinRole::permissions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuiltinRole {
    Admin,
    Supervisor,
    Technician,
    Operator,
    Viewer,
}

impl BuiltinRole {
    pub const ALL: &'static [BuiltinRole] = &[
        BuiltinRole::Admin,
        BuiltinRole::Supervisor,
        BuiltinRole::Technician,
        BuiltinRole::Operator,
        BuiltinRole::Viewer,
    ];

    pub fn key(self) -> &'static str {
        match self {
            BuiltinRole::Admin => "admin",
            BuiltinRole::Supervisor => "supervisor",
            BuiltinRole::Technician => "technician",
            BuiltinRole::Operator => "operator",
            BuiltinRole::Viewer => "viewer",
        }
    }

    pub fn from_key(key: &str) -> Option<BuiltinRole> {
        BuiltinRole::ALL.iter().copied().find(|r| r.key() == key)
    }

    /// Display names (English, French).
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            BuiltinRole::Admin => ("Administrator", "Administrateur"),
            BuiltinRole::Supervisor => ("Maintenance supervisor", "Responsable GMAO"),
            BuiltinRole::Technician => ("Technician", "Technicien"),
            BuiltinRole::Operator => ("Operator", "Opérateur"),
            BuiltinRole::Viewer => ("Viewer", "Lecteur"),
        }
    }

    pub fn permissions(self) -> PermissionSet {
        use Permission::*;
        match self {
            BuiltinRole::Admin => PermissionSet::all(),
            BuiltinRole::Supervisor => [
                SitesRead,
                UsersRead,
                RolesRead,
                EquipmentRead,
                EquipmentManage,
                MetersRecord,
                RequestsCreate,
                RequestsRead,
                RequestsApprove,
                WorkOrdersRead,
                WorkOrdersComment,
                WorkOrdersManage,
                WorkOrdersExecute,
                WorkOrdersValidate,
                FailureCodesManage,
                PmPlansRead,
                PmPlansManage,
                KpisRead,
                ReportsManage,
            ]
            .into_iter()
            .collect(),
            BuiltinRole::Technician => [
                SitesRead,
                EquipmentRead,
                MetersRecord,
                RequestsCreate,
                WorkOrdersRead,
                WorkOrdersComment,
                WorkOrdersExecute,
                PmPlansRead,
            ]
            .into_iter()
            .collect(),
            BuiltinRole::Operator => [SitesRead, EquipmentRead, MetersRecord, RequestsCreate]
                .into_iter()
                .collect(),
            BuiltinRole::Viewer => [
                SitesRead,
                EquipmentRead,
                RequestsRead,
                WorkOrdersRead,
                PmPlansRead,
                KpisRead,
            ]
            .into_iter()
            .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_area_action() {
        for permission in Permission::ALL {
            assert_eq!(Permission::parse(permission.as_str()), Some(*permission));
            let (area, action) = permission.as_str().split_once(':').unwrap_or_default();
            assert!(!area.is_empty() && !action.is_empty(), "{permission}");
            assert_eq!(permission.area(), area);
        }
        assert_eq!(Permission::parse("sites:destroy"), None);
    }

    #[test]
    fn admin_has_everything_and_others_a_subset() {
        let admin = BuiltinRole::Admin.permissions();
        assert_eq!(admin.len(), Permission::ALL.len());
        for role in BuiltinRole::ALL {
            assert!(role.permissions().is_subset(&admin));
            assert!(
                role.permissions().contains(Permission::SitesRead),
                "{role:?} must read sites"
            );
            assert_eq!(BuiltinRole::from_key(role.key()), Some(*role));
        }
        assert!(
            !BuiltinRole::Supervisor
                .permissions()
                .contains(Permission::UsersManage)
        );
        assert!(
            !BuiltinRole::Technician
                .permissions()
                .contains(Permission::SitesManage)
        );
        // Read-only means read-only: a viewer writes nothing, not even a comment.
        assert!(
            !BuiltinRole::Viewer
                .permissions()
                .iter()
                .any(|p| !p.as_str().ends_with(":read"))
        );
    }

    #[test]
    fn unknown_stored_permissions_are_ignored() {
        let set = PermissionSet::from_strings(&["sites:read", "gone:away"]);
        assert_eq!(set.to_strings(), vec!["sites:read".to_owned()]);
    }
}

/// The role × permission table of `docs/permissions.md`, as the code defines it.
pub fn markdown_table() -> String {
    let mut lines = vec![
        format!(
            "| permission | {} | what it allows |",
            BuiltinRole::ALL
                .iter()
                .map(|r| r.key())
                .collect::<Vec<_>>()
                .join(" | ")
        ),
        format!("|---|{}---|", "---|".repeat(BuiltinRole::ALL.len())),
    ];
    for permission in Permission::ALL {
        let marks: Vec<&str> = BuiltinRole::ALL
            .iter()
            .map(|r| {
                if r.permissions().contains(*permission) {
                    "✓"
                } else {
                    ""
                }
            })
            .collect();
        lines.push(format!(
            "| `{}` | {} | {} |",
            permission.as_str(),
            marks.join(" | "),
            permission.description().0
        ));
    }
    lines.join("\n")
}

#[cfg(test)]
mod doc_tests {
    #[test]
    fn docs_permission_table_matches_the_code() {
        let doc = include_str!("../../../docs/permissions.md");
        let table = super::markdown_table();
        assert!(
            doc.contains(&table),
            "docs/permissions.md is out of date; its table should read:\n{table}"
        );
    }
}
