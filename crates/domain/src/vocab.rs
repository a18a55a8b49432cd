//! The `vocabulary!` macro for closed lists of coded values.

/// Declares a closed vocabulary: an enum with a stable code, a Vietnamese label, and a parser that
/// accepts the code, the label or an alias, ignoring case and tone marks.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $label:literal $(, [$($alias:literal),*])?;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and used in the API and figure keys.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Vietnamese label.
            pub fn label_vi(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Reads the code, the Vietnamese label or an alias, ignoring case and tone marks.
            pub fn parse(input: &str) -> Option<$name> {
                let key = $crate::text::fold(input);
                $(
                    if key == $code || key == $crate::text::fold($label) $($(|| key == $crate::text::fold($alias))*)? {
                        return Some($name::$variant);
                    }
                )+
                None
            }

            /// What a parser accepts, for error messages.
            pub fn expected_vi() -> String {
                [$($label),+].join(", ")
            }
        }
    };
}
